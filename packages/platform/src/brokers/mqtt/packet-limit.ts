import type { Socket } from 'node:net';
import type { Client } from 'aedes';

/** Largest packet of an authenticated client: 1 MiB of payload plus its topic and headers. */
export const MAX_PACKET_BYTES = 1024 * 1024 + 64 * 1024;
/** Largest packet before authentication (a CONNECT with a will): enough for any real one. */
export const MAX_PACKET_BYTES_BEFORE_AUTH = 64 * 1024;

/** The part of aedes' client its MQTT parser (mqtt-packet) is (internal, pinned versions). */
interface ParsingClient {
  _parser: {
    packet: { length: number };
    _parseLength(): boolean;
    _emitError(error: Error): void;
  };
}

/**
 * aedes buffers a packet whole, whatever length its header announces (up to 256 MiB): this
 * closes the connection as soon as a header announces more than `maxBytes()` allows, before
 * the bytes arrive.
 */
export function limitPacketSize(client: Client, socket: Socket, maxBytes: () => number): void {
  const parser = (client as unknown as ParsingClient)._parser;
  const parseLength = parser._parseLength.bind(parser);
  parser._parseLength = () => {
    const complete = parseLength();
    if (complete && parser.packet.length > maxBytes()) {
      parser._emitError(new Error('packet too large'));
      socket.destroy();
      return false;
    }
    return complete;
  };
}

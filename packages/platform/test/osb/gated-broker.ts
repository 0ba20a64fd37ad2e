import type { BindingSpec, Broker, InstanceSpec } from '../../src/brokers/broker';

/**
 * A real broker whose provisioning or update can be held at the door, so a test can see an
 * operation `in progress` for as long as it needs to; everything else goes straight to the
 * engine.
 */
export class GatedBroker implements Broker {
  readonly #gates = new Map<'provision' | 'update', Promise<void>>();
  readonly #opens = new Map<'provision' | 'update', () => void>();

  constructor(private readonly inner: Broker) {}

  get service() {
    return this.inner.service;
  }
  get pool() {
    return this.inner.pool;
  }
  get capacity() {
    return this.inner.capacity;
  }

  /** Holds `provision` or `update` until the returned function is called. */
  hold(method: 'provision' | 'update'): () => void {
    let open!: () => void;
    this.#gates.set(
      method,
      new Promise<void>((resolve) => {
        open = resolve;
      }),
    );
    const release = () => {
      this.#gates.delete(method);
      this.#opens.delete(method);
      open();
    };
    this.#opens.set(method, release);
    return release;
  }

  /** Opens every gate (a failed test must not leave an operation stuck behind one). */
  openAll(): void {
    const gates = [...this.#opens.values()];
    for (const open of gates) open();
  }

  health() {
    return this.inner.health();
  }
  async provision(instance: InstanceSpec) {
    await this.#gates.get('provision');
    return this.inner.provision(instance);
  }
  async update(instance: InstanceSpec) {
    await this.#gates.get('update');
    return this.inner.update(instance);
  }
  deprovision(instance: InstanceSpec) {
    return this.inner.deprovision(instance);
  }
  bind(instance: InstanceSpec, binding: BindingSpec) {
    return this.inner.bind(instance, binding);
  }
  unbind(instance: InstanceSpec, binding: BindingSpec) {
    return this.inner.unbind(instance, binding);
  }
  usage(instance: InstanceSpec) {
    return this.inner.usage(instance);
  }
  inventory() {
    return this.inner.inventory();
  }
  close() {
    return this.inner.close();
  }
}

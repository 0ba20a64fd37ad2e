/** Plan limits in words, for the plans' bilingual descriptions. */
import type { Schemas } from '@zhengwu/openapi';

type LocalizedText = Schemas['LocalizedText'];

const grouped = (n: number) => n.toLocaleString('en-US');

/** MiB as the largest whole unit: 512 MiB, 10 GiB, 2 TiB. */
export function sizeText(mb: number): string {
  if (mb >= 1024 * 1024 && mb % (1024 * 1024) === 0) return `${mb / (1024 * 1024)} TiB`;
  if (mb >= 1024 && mb % 1024 === 0) return `${mb / 1024} GiB`;
  return `${grouped(mb)} MiB`;
}

/** One phrase per limit, in the order a reader compares plans. */
export function limitsText(limits: Schemas['PlanLimits']): LocalizedText {
  const zh: string[] = [];
  const en: string[] = [];
  if (limits.connections !== undefined) {
    zh.push(`${grouped(limits.connections)} 个连接`);
    en.push(`${grouped(limits.connections)} connections`);
  }
  if (limits.messagesPerSecond !== undefined) {
    zh.push(`每秒 ${grouped(limits.messagesPerSecond)} 条消息`);
    en.push(`${grouped(limits.messagesPerSecond)} messages/s`);
  }
  if (limits.memoryMb !== undefined) {
    zh.push(`${sizeText(limits.memoryMb)} 内存`);
    en.push(`${sizeText(limits.memoryMb)} memory`);
  }
  if (limits.storageMb !== undefined) {
    zh.push(`${sizeText(limits.storageMb)} 存储`);
    en.push(`${sizeText(limits.storageMb)} storage`);
  }
  if (limits.bandwidthMbps !== undefined) {
    zh.push(`${grouped(limits.bandwidthMbps)} Mbit/s 带宽`);
    en.push(`${grouped(limits.bandwidthMbps)} Mbit/s bandwidth`);
  }
  return { zh: zh.join('，'), en: en.join(', ') };
}

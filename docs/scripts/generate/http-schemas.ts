/** The entries of `/reference/http/schemas`: one per schema of `components.schemas`. */
import { code, colon, fence, type Locale, prose, t } from './markdown';
import {
  constraintText,
  propertyTable,
  type SchemaNode,
  type Spec,
  schemaAnchor,
  typeText,
} from './openapi';

/** What a schema is made of, when it is not a plain object with properties. */
function shape(spec: Spec, node: SchemaNode, locale: Locale): string[] {
  if (node.$ref) {
    return [t(locale, `同 ${typeText(node, locale)}。`, `Same as ${typeText(node, locale)}.`)];
  }
  if (node.allOf) {
    return node.allOf.flatMap((part) =>
      part.$ref
        ? [
            t(
              locale,
              `${typeText(part, locale)} 的全部字段，另加：`,
              `Every field of ${typeText(part, locale)}, plus:`,
            ),
          ]
        : [propertyTable(spec, part, locale) ?? ''],
    );
  }
  const union = node.oneOf ?? node.anyOf;
  if (union) {
    const by = node.discriminator
      ? t(
          locale,
          `，按 ${code(node.discriminator.propertyName)} 区分`,
          `, told apart by ${code(node.discriminator.propertyName)}`,
        )
      : '';
    return [`${t(locale, '以下之一', 'One of')}${by}${colon(locale)}${typeText(node, locale)}`];
  }
  const table = propertyTable(spec, node, locale);
  if (table) return [table];
  const values =
    typeof node.additionalProperties === 'object'
      ? constraintText(node.additionalProperties, locale)
      : '';
  const constraints = [
    constraintText(node, locale),
    values && `${t(locale, '值', 'values')}${colon(locale)}${values}`,
  ]
    .filter(Boolean)
    .join(t(locale, '；', '; '));
  return [
    `${t(locale, '类型', 'Type')}${colon(locale)}${typeText(node, locale)}${constraints ? t(locale, `；${constraints}`, `; ${constraints}`) : ''}`,
  ];
}

/** An example worth showing: the schema's first, when it is an object or a list. */
function example(node: SchemaNode): string | undefined {
  const value = node.examples?.[0];
  if (value === null || typeof value !== 'object') return undefined;
  return fence('json', JSON.stringify(value, null, 2));
}

export function schemaSections(spec: Spec, locale: Locale): string[] {
  return Object.entries(spec.components.schemas).map(([name, node]) => {
    const parts = [`## ${name} {#${schemaAnchor(name)}}`];
    if (node.description) parts.push(prose(node.description.trim()));
    parts.push(...shape(spec, node, locale).filter(Boolean));
    const shown = example(node);
    if (shown) parts.push(t(locale, '示例：', 'Example:'), shown);
    return parts.join('\n\n');
  });
}

/**
 * The hand-written `Manifest` type and the schema name the same keys at every level.
 * Checked by the compiler (`tsc`, the package's typecheck); the test body only keeps
 * vitest aware of the file.
 */
import { describe, expect, it } from 'vitest';
import type {
  Deploy,
  MANIFEST_SCHEMA,
  Manifest,
  Process,
  RecurringSchedule,
  Resource,
  Route,
  Scaling,
  SpecificDateSchedule,
} from '../src/index';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(value: Equal<A, B>) => value;

type Schema = typeof MANIFEST_SCHEMA;
type Props<S> = S extends { properties: infer P } ? keyof P : never;
type ProcessSchema = Schema['properties']['processes']['additionalProperties'];
type ScalingSchema = ProcessSchema['properties']['scaling'];
type ScheduleSchema = ScalingSchema['properties']['schedules']['items'];

const checks = [
  same<Props<Schema>, keyof Manifest>(true),
  same<Props<Schema['properties']['metadata']>, keyof Manifest['metadata']>(true),
  same<Props<ProcessSchema>, keyof Process>(true),
  same<Props<ProcessSchema['properties']['health']>, keyof NonNullable<Process['health']>>(true),
  same<Props<ScalingSchema>, keyof Scaling>(true),
  same<Props<ScheduleSchema['then']>, keyof SpecificDateSchedule>(true),
  same<Props<ScheduleSchema['else']>, keyof RecurringSchedule>(true),
  same<Props<Schema['properties']['resources']['additionalProperties']>, keyof Resource>(true),
  same<Props<Schema['properties']['routes']['items']>, keyof Route>(true),
  same<Props<Schema['properties']['deploy']>, keyof Deploy>(true),
  same<Schema['properties']['runtime']['enum'][number], NonNullable<Manifest['runtime']>>(true),
];

describe('Manifest type', () => {
  it('matches the schema’s keys (checked by tsc)', () => {
    expect(checks.every(Boolean)).toBe(true);
  });
});

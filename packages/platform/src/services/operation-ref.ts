import type { Schemas } from '@zhengwu/openapi';

/** The columns a view joins from the row's last operation. */
export interface LastOperationColumns {
  last_operation_id: string | null;
  op_type: string | null;
  op_state: string | null;
}

/** `lastOperation` of an instance or binding view: null until one exists (or once pruned). */
export function operationRefOf(row: LastOperationColumns): Schemas['OperationRef'] | null {
  return row.last_operation_id && row.op_type && row.op_state
    ? ({
        id: row.last_operation_id,
        type: row.op_type,
        state: row.op_state,
      } as Schemas['OperationRef'])
    : null;
}

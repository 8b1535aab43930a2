import type { ColumnType, Generated } from "kysely";
import type { StaffRole } from "#/platform/db/schema.ts";

export type DateColumn = ColumnType<string, string, string>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    tasks: {
      tenant_id: string;
      task_id: string;
      kind: string;
      title: string;
      person_id: string | null;
      assigned_user_id: string | null;
      for_roles: ColumnType<StaffRole[], StaffRole[] | undefined, StaffRole[]>;
      team_id: string | null;
      due_on: DateColumn;
      link: string;
      source_type: string;
      source_id: string;
      status: "open" | "done";
      done_by: string | null;
      done_at: Timestamp | null;
      created_by: string;
      created_at: Generated<Date>;
    };
  }
}

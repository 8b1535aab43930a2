/**
 * The combined person id the ASCOF measures count people by (REPORTING.md §1.11, DHSC-DASH GetDerivedFields):
 * the traced NHS number, else the NHS number the council sent, else LA code + "_" + LA person id. A row with none
 * of these is dropped (null). The traced number is added nationally after submission, so a council's own rows
 * carry only the second and third. Pure.
 *
 * Kept here for the ASCOF calcs until the CLD lists' person-key rule (cld-person-key) is merged; then one of the
 * two should go.
 */
export function ascofPersonKey(
  row: {
    readonly nhsNumber: string | null;
    readonly laCode: string | null;
    readonly laPersonUniqueIdentifier: string | null;
  },
  tracedNhsNumber?: string | null,
): string | null {
  const traced = present(tracedNhsNumber);
  if (traced) return traced;
  const nhs = present(row.nhsNumber);
  if (nhs) return nhs;
  const la = present(row.laCode);
  const local = present(row.laPersonUniqueIdentifier);
  return la && local ? `${la}_${local}` : null;
}

function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

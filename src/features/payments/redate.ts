import { z } from "zod";
import { newPayDateProblem, type RedateOffer, redateOffer } from "#/features/payments/redate.calc.ts";
import * as repo from "#/features/payments/repository.ts";
import { settingsOnIn } from "#/features/payments/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * "Make the Bacs file for a later pay date" (issue 12: money paths cannot dead-end). An approved run whose Bacs
 * file was not sent by its deadline has its payments in the ledger, made once, and no file can be made for its
 * date any more. A finance officer proposes a later pay date (by default the earliest a file sent today can meet,
 * redate.calc.ts) and says why; a DIFFERENT finance officer approves it; from then the run's Bacs file and finance
 * CSV pay on the new date (service.ts runFile, through repo.filePayDateOf). No payment is made again and no ledger
 * transfer is written: only the file's date moves. Each step is audited and kept (migrations/0024).
 *
 * Why a second approver: the run's pay date is part of what two officers approved, and a new date releases a new
 * bank file for money already sent to the payees' accounts in the ledger. If the first file did reach Bacs after
 * all (downloaded and sent, then someone re-dates it), a second file pays everyone twice; whether it was sent is a
 * fact one officer can get wrong, or misuse. The app's other money decisions (a run, bank details) need two people
 * for the same reason, so this one does too: the second officer checks the first file was not sent.
 */

export const redateRequestSchema = z.object({
  date: z
    .string()
    .trim()
    .refine((d) => d === "" || isCalendarDate(d), { error: "Enter a real pay date" })
    .optional(),
  reason: z
    .string({ error: "Say why the Bacs file was not sent in time" })
    .trim()
    .min(1, { error: "Say why the Bacs file was not sent in time" })
    .max(2000, { error: "The reason must be 2000 characters or fewer" }),
});
export type RedateRequest = z.input<typeof redateRequestSchema>;

export type Redate = {
  redateId: string;
  runId: string;
  fromPayDate: string;
  payDate: string;
  reason: string;
  status: repo.RedateRow["status"];
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
};

const toRedate = (r: repo.RedateRow): Redate => ({
  redateId: r.redate_id,
  runId: r.run_id,
  fromPayDate: r.from_pay_date,
  payDate: r.pay_date,
  reason: r.reason,
  status: r.status,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

function staffOnly(tx: TenantTx, what: string): string {
  const actor = tx.scope.actor;
  if (actor.type !== "staff" || !actor.id) throw new ForbiddenError(`Only a finance officer may ${what}`);
  return actorRef(actor);
}

type RunState = {
  run: repo.RunRow;
  filePayDate: string;
  offer: RedateOffer | undefined;
  region: Parameters<typeof newPayDateProblem>[2] | undefined;
  redates: repo.RedateRow[];
};

async function stateOf(tx: TenantTx, today: string, runId: string, forUpdate: boolean): Promise<RunState> {
  const run = await repo.findRun(tx, runId, forUpdate);
  if (!run) throw new NotFoundError("The payment run");
  const redates = await repo.redatesOfRuns(tx, [runId]);
  const filePayDate = redates.filter((r) => r.status === "approved").at(-1)?.pay_date ?? run.pay_date;
  const settings = await settingsOnIn(tx, filePayDate);
  const offer =
    run.status === "approved" && settings
      ? redateOffer({
          filePayDate,
          today,
          whenNotBankingDay: settings.whenNotBankingDay,
          region: settings.bankHolidayRegion,
        })
      : undefined;
  return { run, filePayDate, offer, region: settings?.bankHolidayRegion, redates };
}

export type RunRedating = {
  /** The date the run's files pay on now. */
  filePayDate: string;
  /** For an approved run: whether its file is too late, by when it had to reach Bacs, the earliest new date. */
  offer: RedateOffer | undefined;
  /** A proposed new date waiting for a second finance officer. */
  waiting: Redate | undefined;
  history: Redate[];
};

/** What the run page shows about the run's pay date (read only; getRun audits the view). */
export async function runRedating(ctx: ServiceContext, runId: string): Promise<RunRedating> {
  return inTenant(ctx, async ({ tx, today }) => {
    const s = await stateOf(tx, today, runId, false);
    const history = s.redates.map(toRedate);
    return {
      filePayDate: s.filePayDate,
      offer: s.offer,
      waiting: history.find((r) => r.status === "proposed"),
      history,
    };
  });
}

/**
 * Proposes a later pay date for an approved run whose Bacs file can no longer be made: the earliest that works
 * unless a later banking day is given. A proposal already waiting is replaced (its date may have become too soon).
 */
export async function proposeRedate(
  ctx: ServiceContext,
  runId: string,
  input: RedateRequest,
): Promise<Redate> {
  const parsed = redateRequestSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The new pay date needs correcting");
  return inTenant(ctx, async ({ tx, today }) => {
    const by = staffOnly(tx, "ask for a later pay date");
    const s = await stateOf(tx, today, runId, true);
    if (s.run.status !== "approved")
      throw new ConflictError(
        "Only an approved run can have its Bacs file made for a later pay date: review and approve it first",
      );
    if (!s.offer || !s.region)
      throw new ConflictError(`There are no payment settings in force on ${dateInWords(s.filePayDate)}`);
    if (!s.offer.late)
      throw new ConflictError(
        `The Bacs file for this run can still be made: download it and send it to Bacs by ${dateInWords(s.offer.mustReachBacsBy)}`,
      );
    const date = parsed.data.date || s.offer.earliest;
    const problem = newPayDateProblem(date, s.offer, s.region);
    if (problem)
      throw new ValidationError(
        [
          {
            path: "date",
            message:
              problem === "too_soon"
                ? `${date} is too soon for a Bacs payment made today: the earliest pay date that works is ${s.offer.earliest}`
                : `${date} is a weekend or bank holiday: choose a banking day`,
          },
        ],
        "The new pay date needs correcting",
      );
    const waiting = s.redates.find((r) => r.status === "proposed");
    if (waiting) await repo.decideRedate(tx, waiting.redate_id, "replaced", by);
    const row = await repo.insertRedate(tx, {
      redate_id: uuidv7(),
      run_id: runId,
      from_pay_date: s.filePayDate,
      pay_date: date,
      reason: parsed.data.reason,
      proposed_by: by,
    });
    await audit(tx, {
      action: "payment_run.redate_propose",
      recordType: "payment_run",
      recordId: runId,
      changes: {
        redateId: row.redate_id,
        fromPayDate: s.filePayDate,
        payDate: date,
        reason: parsed.data.reason,
        ...(waiting ? { replaces: waiting.redate_id } : {}),
      },
    });
    return toRedate(row);
  });
}

/** A DIFFERENT finance officer approves the proposed date; the run's files then pay on it. */
export async function approveRedate(ctx: ServiceContext, runId: string, redateId: string): Promise<Redate> {
  return inTenant(ctx, async ({ tx, today }) => {
    const by = staffOnly(tx, "approve a later pay date");
    const s = await stateOf(tx, today, runId, true);
    const row = s.redates.find((r) => r.redate_id === redateId);
    if (!row) throw new NotFoundError("The proposed pay date");
    if (row.status !== "proposed")
      throw new ConflictError(`This new pay date has already been ${row.status}`);
    if (row.proposed_by === by)
      throw new ForbiddenError(
        "You asked for this new pay date, so a different finance officer must approve it (maker-checker)",
      );
    // The date must still work today: a proposal left too long is refused, and proposing again offers a new one.
    if (s.offer?.late && s.region && newPayDateProblem(row.pay_date, s.offer, s.region))
      throw new ConflictError(
        `${dateInWords(row.pay_date)} is now too soon for a Bacs payment made today: ask again for ${dateInWords(s.offer.earliest)} or later`,
      );
    await repo.decideRedate(tx, redateId, "approved", by);
    await audit(tx, {
      action: "payment_run.redate_approve",
      recordType: "payment_run",
      recordId: runId,
      changes: { redateId, fromPayDate: row.from_pay_date, payDate: row.pay_date },
    });
    return toRedate({ ...row, status: "approved", decided_by: by, decided_at: new Date() });
  });
}

import { chargingSettingsIn } from "#/features/charging/settings-service.ts";
import { directoryIn } from "#/features/directory/service.ts";
import { fundingSettingsIn } from "#/features/funding/service.ts";
import { settingsOnIn } from "#/features/payments/service.ts";
import { listStaff } from "#/features/staff/service.ts";
import { councilContactIn } from "#/features/tenants/contact-service.ts";
import { currentTenantIn, listRasModelsIn } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import type { StaffRole } from "#/platform/db/schema.ts";

/**
 * The administrator's set-up checklist (issue 11): what a new council still needs before each step of the
 * cycle works. Read only, over several features' services in one tenant transaction (so every answer is
 * from the same moment); nothing here owns a table.
 *
 * Each item is done or not, with what is there now, the page that fixes it and who may use that page. An
 * item not done either stops steps working (`blocks`) or lets them work with a stand-in (`weakens`): a new
 * council prices budgets with its rule pack's example RAS model until it adopts its own.
 */

export const CYCLE_STEPS = [
  { id: "assessment", label: "Assessment and eligibility decisions" },
  { id: "budget", label: "Indicative budgets" },
  { id: "charging", label: "Charging (financial assessments)" },
  { id: "planning", label: "Support plan approval" },
  { id: "payments", label: "Payments" },
  { id: "directory", label: "The provider directory" },
] as const;
export type StepId = (typeof CYCLE_STEPS)[number]["id"];

export type ItemId =
  | "ras_model"
  | "funding_streams"
  | "delegated_authority"
  | "charging"
  | "payment_settings"
  | "providers"
  | "contact";

export type ChecklistItem = {
  id: ItemId;
  label: string;
  done: boolean;
  /** What there is now, or what is missing, in plain English. */
  status: string;
  href: string;
  linkText: string;
  /** Who may open the page that fixes it. */
  fixedBy: StaffRole;
  /** Steps that do not work until this is done. */
  blocks: StepId[];
  /** Steps that work without it, but with a stand-in the council has not chosen. */
  weakens: StepId[];
  /** Why those steps depend on it. */
  why: string;
};

export type StepStatus = {
  id: StepId;
  label: string;
  blockedBy: { id: ItemId; label: string; href: string }[];
  weakenedBy: { id: ItemId; label: string; href: string }[];
};

export type SetUpChecklist = { items: ChecklistItem[]; steps: StepStatus[]; allDone: boolean };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the checklist reads, all from one transaction (and who could approve a plan). */
type SetUpFacts = {
  today: string;
  tenant: Awaited<ReturnType<typeof currentTenantIn>>;
  models: Awaited<ReturnType<typeof listRasModelsIn>>;
  funding: Awaited<ReturnType<typeof fundingSettingsIn>>;
  charging: Awaited<ReturnType<typeof chargingSettingsIn>>;
  payments: Awaited<ReturnType<typeof settingsOnIn>>;
  directory: Awaited<ReturnType<typeof directoryIn>>;
  contact: Awaited<ReturnType<typeof councilContactIn>>;
  activeRoles: ReadonlySet<StaffRole>;
};

/** The checklist for the signed-in administrator's council, as things stand today (ctx.today). */
export async function setUpChecklist(ctx: ServiceContext): Promise<SetUpChecklist> {
  // Who could approve a plan: the staff feature reads its accounts in its own transaction.
  const activeRoles = new Set((await listStaff(ctx)).filter((m) => m.active).flatMap((m) => m.roles));
  return inTenant(ctx, async (t) => {
    const { tx, today } = t;
    const tenant = await currentTenantIn(tx);
    // One after another: one transaction is one connection.
    const models = await listRasModelsIn(tx);
    const funding = await fundingSettingsIn(t, today);
    const charging = await chargingSettingsIn(t);
    const payments = await settingsOnIn(tx, today);
    const directory = await directoryIn(t);
    const contact = await councilContactIn(tx);
    const facts: SetUpFacts = {
      today,
      tenant,
      models,
      funding,
      charging,
      payments,
      directory,
      contact,
      activeRoles,
    };
    const items: ChecklistItem[] = [
      rasModelItem(facts),
      fundingStreamsItem(facts),
      delegatedAuthorityItem(facts),
      chargingItem(facts),
      paymentSettingsItem(facts),
      providersItem(facts),
      contactItem(facts),
    ];
    return { items, steps: stepStatuses(items), allDone: items.every((i) => i.done) };
  });
}

/** Each step of the cycle with the items not done that stop it working, or make it work with a stand-in. */
function stepStatuses(items: readonly ChecklistItem[]): StepStatus[] {
  return CYCLE_STEPS.map((step) => ({
    id: step.id,
    label: step.label,
    blockedBy: items
      .filter((i) => !i.done && i.blocks.includes(step.id))
      .map(({ id, label, href }) => ({ id, label, href })),
    weakenedBy: items
      .filter((i) => !i.done && i.weakens.includes(step.id))
      .map(({ id, label, href }) => ({ id, label, href })),
  }));
}

/** The council's own RAS model, adopted after calibration (else the rule pack's example prices budgets). */
function rasModelItem({ models, tenant }: SetUpFacts): ChecklistItem {
  const own = models.find((m) => m.adoptedBy !== "system");
  const current = models[0];
  return {
    id: "ras_model",
    label: "RAS model",
    done: own !== undefined,
    status: own
      ? `Version ${current!.version} in use, adopted by the council: ${current!.reason}`
      : `Not adopted: budgets are priced with the example model shipped with the ${tenant.jurisdiction === "england" ? "England" : tenant.jurisdiction} rule pack, not calibrated to this council's costs`,
    href: "/admin/ras",
    linkText: "Calibrate and adopt the RAS model",
    fixedBy: "administrator",
    blocks: [],
    weakens: ["budget"],
    why: "Indicative budgets come from the RAS model.",
  };
}

function fundingStreamsItem({ funding }: SetUpFacts): ChecklistItem {
  const streams = funding?.settings.streams ?? [];
  const orderedCategories = Object.keys(funding?.settings.payerOrder ?? {}).length;
  return {
    id: "funding_streams",
    label: "Funding streams and payer order",
    done: streams.length > 0 && orderedCategories > 0,
    status: !funding
      ? "No funding settings in force today"
      : streams.length === 0
        ? "No funding streams in force today"
        : orderedCategories === 0
          ? `${plural(streams.length, "stream")}, but no payer order: nothing says which stream pays first`
          : `${plural(streams.length, "stream")}; a payer order for ${plural(orderedCategories, "support category", "support categories")}`,
    href: "/admin/funding/streams",
    linkText: "Set the funding streams and payer order",
    fixedBy: "administrator",
    blocks: ["planning", "payments"],
    weakens: [],
    why: "A support plan is split across the funding streams, and payments are coded by stream.",
  };
}

function delegatedAuthorityItem({ funding, activeRoles }: SetUpFacts): ChecklistItem {
  const levels = funding?.settings.delegatedAuthority.levels ?? [];
  // A level nobody active holds a role of could never approve the plans that need it.
  const unheld = levels.filter((l) => !l.roles.some((r) => activeRoles.has(r)));
  return {
    id: "delegated_authority",
    label: "Delegated authority (who approves plans)",
    done: funding !== null && levels.length > 0 && unheld.length === 0,
    status:
      !funding || levels.length === 0
        ? "No scheme of delegated authority in force today"
        : unheld.length > 0
          ? `No active member of staff can approve at: ${unheld.map((l) => l.label).join(", ")} (add staff with those roles)`
          : `Approvers, lowest first: ${levels.map((l) => l.label).join(", ")}`,
    href: "/admin/funding/approval",
    linkText: "Set who approves plans",
    fixedBy: "administrator",
    blocks: ["planning"],
    weakens: [],
    why: "A support plan cannot be signed off until the council says who may approve it, and has staff in those roles.",
  };
}

function chargingItem({ charging, today }: SetUpFacts): ChecklistItem {
  const inForce = (v: { validFrom: string; validTo?: string | null }) =>
    v.validFrom <= today && (v.validTo == null || v.validTo >= today);
  const policies = charging.policyVersions.filter(inForce);
  const figures = charging.suppliedFigures.filter(inForce);
  return {
    id: "charging",
    label: "Charging policy and figures",
    done: policies.length > 0 && figures.length > 0,
    status:
      policies.length === 0
        ? "No charging policy in force today"
        : figures.length === 0
          ? "A charging policy, but none of the figures the council supplies (such as its cost of care)"
          : `A charging policy and ${plural(figures.length, "supplied figure")} in force today`,
    href: "/charging/settings",
    linkText: "Set the charging policy and figures",
    fixedBy: "administrator",
    blocks: ["charging"],
    weakens: [],
    why: "A financial assessment applies the council's charging policy and its own figures.",
  };
}

function paymentSettingsItem({ payments }: SetUpFacts): ChecklistItem {
  return {
    id: "payment_settings",
    label: "Payment settings (Bacs service user number and bank account)",
    done: payments !== undefined,
    status: payments
      ? `Service user number ${payments.originator.serviceUserNumber}, paying from sort code ${payments.originator.sortCode}`
      : "No payment settings in force today: no Bacs service user number or bank account to pay from",
    href: "/admin/payments",
    linkText: "Set the payment settings",
    fixedBy: "finance_officer",
    blocks: ["payments"],
    weakens: [],
    why: "A payment run needs the council's Bacs service user number and the account it pays from.",
  };
}

function providersItem({ directory }: SetUpFacts): ChecklistItem {
  return {
    id: "providers",
    label: "Providers",
    done: directory.providers.length > 0,
    status:
      directory.providers.length > 0
        ? `${plural(directory.providers.length, "provider")} in the directory`
        : "The directory lists no providers",
    href: "/directory",
    linkText: "Add or import providers",
    fixedBy: "administrator",
    blocks: ["directory"],
    weakens: ["planning"],
    why: "People choose the supports in their plan from the council's directory.",
  };
}

function contactItem({ contact }: SetUpFacts): ChecklistItem {
  return {
    id: "contact",
    label: "Contact details",
    done: contact !== null,
    status: contact
      ? `${contact.phone}, ${contact.email}`
      : "Not set: decision letters, estimates and public pages give no way to contact the council",
    href: "/admin/contact",
    linkText: "Set the contact details",
    fixedBy: "administrator",
    blocks: ["assessment"],
    weakens: [],
    why: "A decision letter must tell the person how to reach the council to ask for it to be looked at again.",
  };
}

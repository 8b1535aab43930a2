import type { FastifyInstance, FastifyReply } from "fastify";
import { type FinancialAnswers, WEEKLY_ROUNDING } from "#/features/charging/answers.ts";
import {
  CAPITAL_LABELS,
  type FormBody,
  FREQUENCY_ITEMS,
  HOUSING_LABELS,
  INCOME_ITEMS,
  incomeLabel,
  type PageResult,
  paidText,
  parseCapital,
  parseDreItem,
  parseHousing,
  parseIncome,
} from "#/features/charging/forms.ts";
import { base, type ChargingPageKit, type Loaded, nextPage } from "#/features/charging/page-kit.ts";
import { saveFinancialAnswers } from "#/features/charging/service.ts";
import { NotFoundError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * The lists with "add another" that work without JavaScript: incomes, capital, housing costs and itemised
 * disability-related expenditure, each a page of its entries with add, change and remove.
 */
export function listPageRoutes(app: FastifyInstance, kit: ChargingPageKit) {
  listPages(app, kit, {
    slug: "incomes",
    template: "incomes",
    title: "Income",
    addButton: "Add this income",
    section: "incomes",
    parse: parseIncome,
    describe: (i) => ({ key: incomeLabel(i), value: paidText(i.amountPence, i.frequency) }),
  });
  listPages(app, kit, {
    slug: "capital",
    template: "capital",
    title: "Savings, investments and property",
    addButton: "Add this",
    section: "capital",
    parse: parseCapital,
    describe: (c) => ({
      key: c.description ? `${CAPITAL_LABELS[c.kind].text}: ${c.description}` : CAPITAL_LABELS[c.kind].text,
      value: `${formatPounds(c.valuePence as Pence)}${c.disregardReason ? ` (disregarded: ${c.disregardReason})` : ""}`,
    }),
  });
  listPages(app, kit, {
    slug: "housing-costs",
    template: "housing",
    title: "Housing costs",
    addButton: "Add this housing cost",
    section: "housingCosts",
    parse: parseHousing,
    describe: (h) => ({ key: HOUSING_LABELS[h.kind], value: paidText(h.amountPence, h.frequency) }),
  });
  listPages(app, kit, {
    slug: "disability-related-expenditure/items",
    template: "dre-items",
    title: "Disability-related expenses",
    addButton: "Add this expense",
    section: "dreItems",
    parse: parseDreItem,
    describe: (d) => ({ key: d.description, value: paidText(d.amountPence, d.frequency) }),
  });
}

type ListSpec<T> = {
  slug: string;
  template: string;
  title: string;
  addButton: string;
  section: "incomes" | "capital" | "housingCosts" | "dreItems";
  parse: (body: FormBody) => PageResult<T>;
  describe: (item: T) => { key: string; value: string };
};

const itemsOf = (answers: FinancialAnswers, section: ListSpec<unknown>["section"]): unknown[] | undefined =>
  section === "dreItems" ? answers.dre?.items : (answers[section] as unknown[] | undefined);

const withItems = (section: ListSpec<unknown>["section"], items: unknown[]): FinancialAnswers =>
  section === "dreItems" ? { dre: { kind: "itemised", items: items as never } } : { [section]: items };

/** The pages of one list: the list with its add form, add (or continue), and remove. */
function listPages<T>(app: FastifyInstance, kit: ChargingPageKit, spec: ListSpec<T>) {
  const { read, write, load, refuseIfCompleted, fromOf, renderPage } = kit;

  const render = (reply: FastifyReply, loaded: Loaded, extra: Record<string, unknown>) => {
    const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
    return renderPage(reply, spec.template, loaded, spec.slug, {
      title: spec.title,
      addButton: spec.addButton,
      items: items.map((item, index) => ({ ...spec.describe(item), index })),
      frequencyItems: FREQUENCY_ITEMS,
      incomeItems: INCOME_ITEMS,
      capitalLabels: CAPITAL_LABELS,
      housingLabels: HOUSING_LABELS,
      weeklyRounding: WEEKLY_ROUNDING,
      ...extra,
    });
  };

  app.get(`/financial-assessments/:id/${spec.slug}`, read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const q = request.query as Record<string, unknown>;
    return render(reply, loaded, {
      from: fromOf(request),
      added: q.added === "1",
      removed: q.removed === "1",
    });
  });

  app.post(`/financial-assessments/:id/${spec.slug}`, write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const id = loaded.fa.financialAssessmentId;
    const body = (request.body ?? {}) as FormBody;
    const from = fromOf(request);
    const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
    const typed = ["type", "kind", "amount", "value", "description", "disregardReason", "basis"].some(
      (f) => typeof body[f] === "string" && (body[f] as string).trim() !== "",
    );
    // "Continue" with nothing typed moves on; with something typed it adds it first.
    if (body.action === "continue" && !typed) {
      const saved =
        itemsOf(loaded.answers, spec.section) === undefined
          ? (await saveFinancialAnswers(loaded.ctx, id, withItems(spec.section, []))).answers
          : loaded.answers;
      return reply.redirect(nextPage(id, saved, spec.slug, from), 303);
    }
    const result = spec.parse(body);
    if (!result.ok) {
      return render(reply.code(400), loaded, {
        values: result.values,
        errors: result.errors,
        errorList: result.errorList,
        from,
      });
    }
    const saved = await saveFinancialAnswers(
      loaded.ctx,
      id,
      withItems(spec.section, [...items, result.value]),
    );
    if (body.action === "continue") return reply.redirect(nextPage(id, saved.answers, spec.slug, from), 303);
    return reply.redirect(`${base(id)}/${spec.slug}?added=1${from ? "&from=check" : ""}`, 303);
  });

  app.post(`/financial-assessments/:id/${spec.slug}/:index/remove`, write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const id = loaded.fa.financialAssessmentId;
    const { index } = request.params as { index: string };
    const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
    const i = /^\d{1,3}$/.test(index) ? Number(index) : -1;
    if (i < 0 || i >= items.length) throw new NotFoundError("That entry");
    await saveFinancialAnswers(
      loaded.ctx,
      id,
      withItems(
        spec.section,
        items.filter((_, j) => j !== i),
      ),
    );
    return reply.redirect(`${base(id)}/${spec.slug}?removed=1${fromOf(request) ? "&from=check" : ""}`, 303);
  });
}

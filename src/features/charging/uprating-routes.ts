import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type ErrorLink,
  type FieldErrors,
  type FormBody,
  type FormValues,
  moneyText,
  one,
  parseMoney,
} from "#/features/charging/form-fields.ts";
import { addSuppliedFigures, getChargingSettings } from "#/features/charging/settings-service.ts";
import type { SuppliedFigureKey } from "#/features/charging/supplied-figures.calc.ts";
import {
  type UpratingRow,
  type UpratingYear,
  upratedFigures,
  upratingRows,
  upratingYear,
} from "#/features/charging/uprating.calc.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { type ChargingJurisdiction, financialYearOf, isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * The yearly uprating page (finance officers and administrators): choose the year, check each figure the rules do
 * not confirm against the circular (pre-filled from this year's or a published source), cite the circular and
 * confirm. The figures are added in one go through the settings service (validated, dated, audited, all or
 * nothing); from then on that year's financial assessments are worked out.
 */

/** A field id for a figure key: dots are not safe in ids that error summary links point to. */
const fieldId = (key: SuppliedFigureKey) => `amount-${key.replace(/\./g, "-")}`;

/** The year's figures to uprate, as typed, with what is wrong with them. */
const render = (
  reply: FastifyReply,
  year: UpratingYear,
  rows: UpratingRow[],
  values: FormValues,
  errors: FieldErrors = {},
  errorList?: ErrorLink[],
) =>
  reply.render("charging/views/uprate.njk", {
    title: `Uprate the charging figures for ${year.label}`,
    backLink: "/charging/settings/uprate",
    year,
    rows: rows.map((r) => ({ ...r, id: fieldId(r.key) })),
    offered: rows.some((r) => !r.supplied),
    values,
    errors,
    errorList,
  });

export async function upratingRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("charging:settings") };
  const context = serviceContextFor(deps);

  /** This financial year and the next: the years a council uprates (earlier ones only by the single-figure form). */
  const yearsOffered = (jurisdiction: ChargingJurisdiction) => {
    const start = Number(financialYearOf(deps.today()).from.slice(0, 4));
    return [start, start + 1]
      .map((y) => upratingYear(jurisdiction, y))
      .filter((y): y is UpratingYear => y !== null);
  };

  const yearFrom = (
    request: FastifyRequest,
  ): { jurisdiction: ChargingJurisdiction; year: UpratingYear | null; years: UpratingYear[] } => {
    const jurisdiction = request.staff!.jurisdiction;
    if (!isChargingJurisdiction(jurisdiction)) return { jurisdiction: "england", year: null, years: [] };
    const years = yearsOffered(jurisdiction);
    const asked = one((request.query ?? {}) as FormBody, "year");
    return { jurisdiction, years, year: years.find((y) => y.from.slice(0, 4) === asked) ?? null };
  };

  app.get("/charging/settings/uprate", guard, async (request, reply) => {
    const { jurisdiction, year, years } = yearFrom(request);
    if (!year) {
      return reply.render("charging/views/uprate-year.njk", {
        title: "Uprate the charging figures",
        backLink: "/charging/settings",
        years: years.map((y) => ({ ...y, missing: upratingRows(jurisdiction, y, []).length })),
      });
    }
    const settings = await getChargingSettings(context(request));
    const rows = upratingRows(jurisdiction, year, settings.suppliedFigures);
    const values: FormValues = Object.fromEntries(
      rows.filter((r) => !r.supplied).map((r) => [fieldId(r.key), moneyText(r.prefillPence)]),
    );
    return render(reply, year, rows, values);
  });

  app.post("/charging/settings/uprate", guard, async (request, reply) => {
    const { jurisdiction, year } = yearFrom(request);
    if (!year) return reply.redirect("/charging/settings/uprate", 303);
    const body = (request.body ?? {}) as FormBody;
    const settings = await getChargingSettings(context(request));
    const rows = upratingRows(jurisdiction, year, settings.suppliedFigures).filter((r) => !r.supplied);
    const values: FormValues = {
      source: one(body, "source"),
      confirmed: one(body, "confirmed"),
      ...Object.fromEntries(rows.map((r) => [fieldId(r.key), one(body, fieldId(r.key))])),
    };
    const errors: FieldErrors = {};
    const amounts = new Map<SuppliedFigureKey, number>();
    for (const r of rows) {
      const money = parseMoney(
        values[fieldId(r.key)] as string,
        `the ${r.label.charAt(0).toLowerCase()}${r.label.slice(1)}`,
      );
      if (money.ok) amounts.set(r.key, money.pence);
      else errors[fieldId(r.key)] = money.message;
    }
    if (values.source === "")
      errors.source = "Enter the circular the figures come from, for example LAC(DHSC)(2027)1 Annex A";
    if (values.confirmed !== "yes")
      errors.confirmed = "Confirm that you have checked every figure against the circular";
    const order = [...rows.map((r) => fieldId(r.key)), "source", "confirmed"];
    const errorList = () => order.filter((f) => errors[f]).map((f) => ({ text: errors[f]!, href: `#${f}` }));
    if (rows.length === 0) return reply.redirect("/charging/settings?done=uprated", 303);
    if (Object.keys(errors).length > 0) {
      return render(
        reply.code(400),
        year,
        upratingRows(jurisdiction, year, settings.suppliedFigures),
        values,
        errors,
        errorList(),
      );
    }
    try {
      await addSuppliedFigures(context(request), upratedFigures(year, amounts, values.source as string));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The service names the figure by index, in the order given: map each back to its field.
      const keys = [...amounts.keys()];
      for (const e of error.fieldErrors) {
        const index = Number(/^\[(\d+)\]/.exec(e.path)?.[1]);
        const field = Number.isInteger(index) && keys[index] ? fieldId(keys[index]) : "source";
        errors[field] ??= e.message;
      }
      return render(
        reply.code(400),
        year,
        upratingRows(jurisdiction, year, settings.suppliedFigures),
        values,
        errors,
        errorList(),
      );
    }
    return reply.redirect(`/charging/settings?done=uprated`, 303);
  });
}

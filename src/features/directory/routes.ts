import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FormBody, one } from "#/features/directory/forms.ts";
import {
  IMPORT_MODES,
  MAX_PAGE_SIZE,
  PROVIDER_KIND_LABELS,
  SERVICE_STATUS_LABELS,
} from "#/features/directory/input-schemas.ts";
import {
  categoryLabel,
  PROVIDER_FIELDS,
  providerValuesFrom,
  providerView,
  type ServiceValues,
  serviceFieldOf,
  serviceInputFrom,
  serviceValuesFrom,
  serviceValuesOf,
  UNIT_PHRASES,
} from "#/features/directory/page-model.ts";
import { PROVIDER_KINDS, SERVICE_STATUSES } from "#/features/directory/schemas.ts";
import {
  createProvider,
  createService,
  exportDirectory,
  getDirectorySettings,
  getProvider,
  importDirectory,
  MAX_HSDS_BYTES,
  type ProviderRecord,
  searchProviders,
  setDirectorySettings,
  updateProvider,
  updateService,
} from "#/features/directory/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { paginationItems } from "#/platform/web/pagination.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { acceptTextUploads, isUploadedText } from "#/platform/web/uploads.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";
import { UNITS } from "#/vocabulary/units.ts";

/**
 * The directory's pages. Every member of staff may search it and open a provider; administrators add and
 * edit providers and their services, import an Open Referral UK file (uploaded or pasted; refused whole with
 * every problem listed), download it, and decide whether plans may use providers off the approved list.
 */

const BASE = "/directory";
const PAGE_SIZE = 25;
const FILE_FIELD = "directoryFile";

/** What every directory page shares: the permissions its routes need, the service context, the category boxes. */
function directoryPages(deps: RouteDeps) {
  const read = { preHandler: requireStaff("directory:read") };
  const manage = { preHandler: requireStaff("directory:manage") };
  const context = serviceContextFor(deps);
  const mayManage = (request: FastifyRequest) => can(request.staff!.roles, "directory:manage");
  const categoryItems = (checked: readonly string[]) =>
    supportCategories().map((c) => ({ value: c.id, text: c.label, checked: checked.includes(c.id) }));
  return { deps, read, manage, context, mayManage, categoryItems };
}
type DirectoryPages = ReturnType<typeof directoryPages>;

export async function directoryRoutes(app: FastifyInstance, deps: RouteDeps) {
  // Multipart only here (encapsulated in this plugin): the directory file upload.
  await acceptTextUploads(app, { maxBytes: MAX_HSDS_BYTES, fields: 10, fieldSize: MAX_HSDS_BYTES });

  const pages = directoryPages(deps);
  registerSearch(app, pages);
  registerFilePages(app, pages);
  registerSettingsPages(app, pages);
  registerProviderPages(app, pages);
  registerServicePages(app, pages);
}

/** Search: the directory's providers, filtered and a page at a time. */
function registerSearch(app: FastifyInstance, pages: DirectoryPages) {
  const { read, context, mayManage } = pages;
  app.get(BASE, read, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const text = (name: string) => (typeof q[name] === "string" ? (q[name] as string).trim() : "");
    const filters = {
      search: text("search"),
      category: text("category"),
      area: text("area"),
      kind: text("kind"),
      approvedList: text("approvedList"),
    };
    const pageText = text("page") || "1";
    const page = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : 1;
    const ctx = context(request);
    const settings = await getDirectorySettings(ctx);
    const common = {
      title: "Provider directory",
      filters,
      mayManage: mayManage(request),
      settings,
      categoryItems: [
        { value: "", text: "Any category" },
        ...supportCategories().map((c) => ({
          value: c.id,
          text: c.label,
          selected: c.id === filters.category,
        })),
      ],
      kindItems: [
        { value: "", text: "Any kind" },
        ...PROVIDER_KINDS.map((k) => ({
          value: k,
          text: PROVIDER_KIND_LABELS[k],
          selected: k === filters.kind,
        })),
      ],
      approvedItems: [
        { value: "", text: "On the list or not" },
        { value: "true", text: "On the approved list", selected: filters.approvedList === "true" },
        { value: "false", text: "Not on the approved list", selected: filters.approvedList === "false" },
      ],
    };
    let result: Awaited<ReturnType<typeof searchProviders>>;
    try {
      result = await searchProviders(ctx, {
        ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "")),
        page,
        pageSize: Math.min(PAGE_SIZE, MAX_PAGE_SIZE),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const shown = pageErrors(error.fieldErrors, (path) => (path in filters ? path : "search"));
      return reply
        .code(400)
        .render("directory/views/list.njk", { ...common, ...shown, providers: [], total: 0 });
    }
    const totalPages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const hrefFor = (n: number) => {
      const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
      if (n > 1) params.set("page", String(n));
      const qs = params.toString();
      return qs ? `${BASE}?${qs}` : BASE;
    };
    return reply.render("directory/views/list.njk", {
      ...common,
      filtered: Object.values(filters).some((v) => v !== ""),
      providers: result.rows.map((r) => ({
        ...r,
        kindLabel: PROVIDER_KIND_LABELS[r.kind],
        categoryLabels: r.categories.map(categoryLabel),
      })),
      total: result.total,
      pagination:
        totalPages > 1
          ? {
              previous: result.page > 1 ? { href: hrefFor(result.page - 1) } : undefined,
              next: result.page < totalPages ? { href: hrefFor(result.page + 1) } : undefined,
              items: paginationItems(result.page, totalPages, hrefFor),
              landmarkLabel: "Pages of results",
            }
          : null,
    });
  });
}

/** Export, and import (before /providers/:id so the paths stay apart). */
function registerFilePages(app: FastifyInstance, pages: DirectoryPages) {
  const { read, manage, context } = pages;
  app.get(`${BASE}/export`, read, async (request, reply) => {
    const document = await exportDirectory(context(request));
    return reply
      .type("application/json; charset=utf-8")
      .header("content-disposition", 'attachment; filename="directory.hsds.json"')
      .send(`${JSON.stringify(document, null, 2)}\n`);
  });

  const renderImport = (
    reply: FastifyReply,
    extra: {
      status?: number;
      errors?: Record<string, string>;
      errorList?: unknown;
      problems?: FieldError[];
      values?: Record<string, string>;
    } = {},
  ) =>
    reply.code(extra.status ?? 200).render("directory/views/import.njk", {
      title: "Import a directory file",
      backLink: BASE,
      errors: extra.errors ?? {},
      errorList: extra.errorList,
      problems: extra.problems ?? [],
      values: extra.values ?? { mode: "merge" },
      maxMegabytes: MAX_HSDS_BYTES / 1_000_000,
    });

  app.get(`${BASE}/import`, manage, async (_request, reply) => renderImport(reply));

  app.post(`${BASE}/import`, manage, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = isUploadedText(body[FILE_FIELD]) ? body[FILE_FIELD] : undefined;
    const pasted = typeof body.directoryText === "string" ? body.directoryText : "";
    const mode = typeof body.mode === "string" ? body.mode : "";
    const values = { directoryText: pasted, mode };
    if (!(IMPORT_MODES as readonly string[]).includes(mode)) {
      const text = "Choose whether to merge the file into the directory or replace the directory with it";
      return renderImport(reply, {
        status: 400,
        errors: { mode: text },
        errorList: [{ text, href: "#mode" }],
        values,
      });
    }
    if (file?.tooLarge) {
      const text = `The file must be smaller than ${MAX_HSDS_BYTES / 1_000_000} MB`;
      return renderImport(reply, {
        status: 400,
        errors: { file: text },
        errorList: [{ text, href: "#directory-file" }],
        values,
      });
    }
    const useFile = file !== undefined && file.text.trim() !== "";
    try {
      const summary = await importDirectory(context(request), {
        text: useFile ? file.text : pasted,
        mode: mode as (typeof IMPORT_MODES)[number],
        fileName: useFile ? file.fileName : "pasted text",
      });
      return reply.render("directory/views/import-result.njk", {
        title: "The directory file has been imported",
        summary,
        fileName: useFile ? file.fileName : null,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const fileProblems = error.fieldErrors.filter((f) => f.path !== "file");
      const direct = error.fieldErrors.find((f) => f.path === "file");
      const text =
        direct?.message ??
        `The file was not used: it has ${fileProblems.length} ${fileProblems.length === 1 ? "problem" : "problems"}, listed below. Correct ${fileProblems.length === 1 ? "it" : "them all"} and import the file again. Nothing has been changed.`;
      return renderImport(reply, {
        status: 400,
        errors: { file: text },
        errorList: [{ text, href: direct ? "#directory-file" : "#problems" }],
        problems: fileProblems,
        values,
      });
    }
  });
}

/** Whether plans may use providers off the approved list. */
function registerSettingsPages(app: FastifyInstance, pages: DirectoryPages) {
  const { manage, context } = pages;
  const renderSettings = (reply: FastifyReply, value: string, status = 200, error?: string) =>
    reply.code(status).render("directory/views/settings.njk", {
      title: "Providers off the approved list",
      backLink: BASE,
      value,
      errors: error ? { allow: error } : {},
      errorList: error ? [{ text: error, href: "#allow" }] : undefined,
    });

  app.get(`${BASE}/settings`, manage, async (request, reply) => {
    const settings = await getDirectorySettings(context(request));
    return renderSettings(reply, settings.allowProvidersOffApprovedList ? "yes" : "no");
  });

  app.post(`${BASE}/settings`, manage, async (request, reply) => {
    const value = one((request.body ?? {}) as FormBody, "allow");
    if (value !== "yes" && value !== "no") {
      return renderSettings(
        reply,
        value,
        400,
        "Say whether plans may use providers that are not on the approved list",
      );
    }
    await setDirectorySettings(context(request), { allowProvidersOffApprovedList: value === "yes" });
    return reply.redirect(`${BASE}?saved=settings`, 303);
  });
}

/** The provider form and how its fields map to the service's. */
function providerForm() {
  const kindItems = (value: string) =>
    PROVIDER_KINDS.map((k) => ({
      value: k,
      text: PROVIDER_KIND_LABELS[k],
      checked: value === k,
      hint: {
        text: {
          organisation: "A company, charity or other organisation providing care and support",
          user_led_organisation:
            "An organisation run and controlled by disabled people or people who use services",
          personal_assistant:
            "Someone self-employed, or employed by the person, who provides support directly",
        }[k],
      },
    }));

  const renderProviderForm = (
    reply: FastifyReply,
    opts: {
      providerId?: string;
      providerName?: string;
      values: Record<string, string>;
      status?: number;
    } & Partial<ReturnType<typeof pageErrors>>,
  ) =>
    reply.code(opts.status ?? 200).render("directory/views/provider-form.njk", {
      title: opts.providerId ? `Change ${opts.providerName}` : "Add a provider",
      backLink: opts.providerId ? `${BASE}/providers/${encodeURIComponent(opts.providerId)}` : BASE,
      action: opts.providerId
        ? `${BASE}/providers/${encodeURIComponent(opts.providerId)}/edit`
        : `${BASE}/providers/new`,
      values: opts.values,
      kindItems: kindItems(opts.values.kind ?? ""),
      errors: opts.errors ?? {},
      errorList: opts.errorList,
    });

  const providerFieldOf = (path: string) => {
    const top = path.split(/[.[]/)[0] ?? "";
    return (PROVIDER_FIELDS as readonly string[]).includes(top) ? top : "name";
  };
  const providerInput = (values: Record<string, string>) => ({
    ...values,
    approvedList:
      values.approvedList === "yes" ? true : values.approvedList === "no" ? false : values.approvedList,
  });
  return { renderProviderForm, providerFieldOf, providerInput };
}

/** A provider: add one, open it, edit it. */
function registerProviderPages(app: FastifyInstance, pages: DirectoryPages) {
  const { read, manage, context, mayManage } = pages;
  const { renderProviderForm, providerFieldOf, providerInput } = providerForm();
  app.get(`${BASE}/providers/new`, manage, async (_request, reply) =>
    renderProviderForm(reply, { values: { kind: "", approvedList: "" } }),
  );

  app.post(`${BASE}/providers/new`, manage, async (request, reply) => {
    const values = providerValuesFrom((request.body ?? {}) as FormBody);
    try {
      const provider = await createProvider(context(request), providerInput(values));
      return reply.redirect(`${BASE}/providers/${encodeURIComponent(provider.id)}?saved=provider`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderProviderForm(reply, {
        values,
        status: 400,
        ...pageErrors(error.fieldErrors, providerFieldOf),
      });
    }
  });

  app.get(`${BASE}/providers/:providerId`, read, async (request, reply) => {
    const { providerId } = request.params as { providerId: string };
    const record = await getProvider(context(request), providerId);
    const q = request.query as Record<string, unknown>;
    return reply.render("directory/views/provider.njk", {
      title: record.provider.name,
      backLink: BASE,
      provider: providerView(record),
      mayManage: mayManage(request),
      saved: typeof q.saved === "string" ? q.saved : "",
    });
  });

  app.get(`${BASE}/providers/:providerId/edit`, manage, async (request, reply) => {
    const { providerId } = request.params as { providerId: string };
    const { provider } = await getProvider(context(request), providerId);
    return renderProviderForm(reply, {
      providerId: provider.id,
      providerName: provider.name,
      values: {
        name: provider.name,
        kind: provider.kind,
        approvedList: provider.approvedList ? "yes" : "no",
        description: provider.description ?? "",
        email: provider.email ?? "",
        website: provider.website ?? "",
      },
    });
  });

  app.post(`${BASE}/providers/:providerId/edit`, manage, async (request, reply) => {
    const { providerId } = request.params as { providerId: string };
    const values = providerValuesFrom((request.body ?? {}) as FormBody);
    try {
      const provider = await updateProvider(context(request), providerId, providerInput(values));
      return reply.redirect(`${BASE}/providers/${encodeURIComponent(provider.id)}?saved=provider`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { provider } = await getProvider(context(request), providerId);
      return renderProviderForm(reply, {
        providerId,
        providerName: provider.name,
        values,
        status: 400,
        ...pageErrors(error.fieldErrors, providerFieldOf),
      });
    }
  });
}

/** The service form, and saving it (new or changed). */
function serviceForm(pages: DirectoryPages) {
  const { context, categoryItems } = pages;
  const renderServiceForm = (
    reply: FastifyReply,
    opts: {
      record: ProviderRecord;
      serviceId?: string;
      values: ServiceValues;
      status?: number;
    } & Partial<ReturnType<typeof pageErrors>>,
  ) => {
    const base = `${BASE}/providers/${encodeURIComponent(opts.record.provider.id)}`;
    const service = opts.record.services.find((s) => s.id === opts.serviceId);
    return reply.code(opts.status ?? 200).render("directory/views/service-form.njk", {
      title: service ? `Change ${service.name}` : `Add a service for ${opts.record.provider.name}`,
      providerName: opts.record.provider.name,
      backLink: base,
      action: service ? `${base}/services/${encodeURIComponent(service.id)}/edit` : `${base}/services/new`,
      values: opts.values,
      categoryItems: categoryItems(opts.values.categories),
      statusItems: SERVICE_STATUSES.map((s) => ({
        value: s,
        text: SERVICE_STATUS_LABELS[s],
        checked: opts.values.status === s,
      })),
      unitItems: (selected: string) => [
        { value: "", text: "Choose a unit", selected: selected === "" },
        ...UNITS.map((u) => ({
          value: u,
          text: UNIT_PHRASES[u].charAt(0).toUpperCase() + UNIT_PHRASES[u].slice(1),
          selected: selected === u,
        })),
      ],
      errors: opts.errors ?? {},
      errorList: opts.errorList,
    });
  };

  async function saveService(request: FastifyRequest, reply: FastifyReply, serviceId?: string) {
    const { providerId } = request.params as { providerId: string };
    const ctx = context(request);
    const record = await getProvider(ctx, providerId);
    const values = serviceValuesFrom((request.body ?? {}) as FormBody);
    const { errors, rowOf, input } = serviceInputFrom(values);
    const fail = (fieldErrors: FieldError[]) =>
      renderServiceForm(reply, {
        record,
        ...(serviceId ? { serviceId } : {}),
        values,
        status: 400,
        ...pageErrors(fieldErrors, (path) => serviceFieldOf(path, rowOf)),
      });
    if (errors.length > 0) return fail(errors);
    try {
      if (serviceId) await updateService(ctx, record.provider.id, serviceId, input);
      else await createService(ctx, record.provider.id, input);
      return reply.redirect(`${BASE}/providers/${encodeURIComponent(record.provider.id)}?saved=service`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return fail(error.fieldErrors);
    }
  }
  return { renderServiceForm, saveService };
}

/** A provider's services: add one, change one. */
function registerServicePages(app: FastifyInstance, pages: DirectoryPages) {
  const { manage, context } = pages;
  const { renderServiceForm, saveService } = serviceForm(pages);
  app.get(`${BASE}/providers/:providerId/services/new`, manage, async (request, reply) => {
    const { providerId } = request.params as { providerId: string };
    return renderServiceForm(reply, {
      record: await getProvider(context(request), providerId),
      values: serviceValuesOf(),
    });
  });

  app.post(`${BASE}/providers/:providerId/services/new`, manage, async (request, reply) =>
    saveService(request, reply),
  );

  app.get(`${BASE}/providers/:providerId/services/:serviceId/edit`, manage, async (request, reply) => {
    const { providerId, serviceId } = request.params as { providerId: string; serviceId: string };
    const record = await getProvider(context(request), providerId);
    const service = record.services.find((s) => s.id === serviceId);
    if (!service) return reply.callNotFound();
    return renderServiceForm(reply, { record, serviceId, values: serviceValuesOf(service) });
  });

  app.post(`${BASE}/providers/:providerId/services/:serviceId/edit`, manage, async (request, reply) => {
    const { serviceId } = request.params as { serviceId: string };
    return saveService(request, reply, serviceId);
  });
}

import type { FastifyInstance, FastifyReply } from "fastify";
import {
  defaultLetterFormat,
  LANGUAGE_TEXT,
  LETTER_CHANNEL_TEXT,
  LETTER_CHANNELS,
  LETTER_FORMAT_TEXT,
  LETTER_FORMATS,
} from "#/features/people/correspondence.calc.ts";
import {
  type CorrespondencePreferences,
  getCorrespondence,
  setCorrespondence,
} from "#/features/people/correspondence.ts";
import { ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/** The staff form for a person's correspondence preferences (issue 16): GOV.UK radios, no JavaScript needed. */

type FormValues = {
  letterChannel: string;
  textsAllowed: string;
  letterFormat: string;
  correspondenceLanguage: string;
};

const FORM_ORDER = ["letterChannel", "textsAllowed", "letterFormat", "correspondenceLanguage"];

const text = (v: unknown) => (typeof v === "string" ? v : "");

function valuesFrom(prefs: CorrespondencePreferences): FormValues {
  return {
    letterChannel: prefs.letterChannel ?? "",
    textsAllowed: prefs.textsAllowed === null ? "" : prefs.textsAllowed ? "yes" : "no",
    // Not chosen yet: offer what the communication needs call for.
    letterFormat: prefs.letterFormat ?? defaultLetterFormat(prefs.communicationNeeds),
    correspondenceLanguage: prefs.correspondenceLanguage ?? "",
  };
}

/** The form's answers as the service takes them: an unanswered question is left out, so the service asks for it. */
function inputFrom(values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (values.letterChannel) input.letterChannel = values.letterChannel;
  if (values.textsAllowed === "yes" || values.textsAllowed === "no")
    input.textsAllowed = values.textsAllowed === "yes";
  if (values.letterFormat) input.letterFormat = values.letterFormat;
  if (values.correspondenceLanguage) input.correspondenceLanguage = values.correspondenceLanguage;
  return input;
}

export async function correspondenceRoutes(app: FastifyInstance, deps: RouteDeps) {
  const context = serviceContextFor(deps);
  const guard = { preHandler: requireStaff("people:write") };

  const render = (
    reply: FastifyReply,
    prefs: CorrespondencePreferences,
    values: FormValues,
    status = 200,
    fieldErrors: ValidationError["fieldErrors"] = [],
  ) => {
    const { errors, errorList } = pageErrors(fieldErrors, (p) => p, FORM_ORDER);
    const radios = <K extends string>(codes: readonly K[], words: Record<K, string>, value: string) =>
      codes.map((code) => ({ value: code, text: words[code], checked: code === value }));
    return reply.code(status).render("people/views/correspondence.njk", {
      title: "How this person wants to be told",
      backLink: `/people/${prefs.personId}`,
      personId: prefs.personId,
      email: prefs.email,
      mobile: prefs.mobile,
      values,
      errors,
      errorList,
      channelItems: radios(LETTER_CHANNELS, LETTER_CHANNEL_TEXT, values.letterChannel),
      textItems: [
        { value: "yes", text: "Yes", checked: values.textsAllowed === "yes" },
        { value: "no", text: "No", checked: values.textsAllowed === "no" },
      ],
      formatItems: radios(LETTER_FORMATS, LETTER_FORMAT_TEXT, values.letterFormat),
      languageItems: [
        { value: "en", text: LANGUAGE_TEXT.en, checked: values.correspondenceLanguage === "en" },
        { value: "cy", text: LANGUAGE_TEXT.cy, checked: values.correspondenceLanguage === "cy" },
      ],
    });
  };

  app.get("/people/:personId/correspondence", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const prefs = await getCorrespondence(context(request), personId);
    return render(reply, prefs, valuesFrom(prefs));
  });

  app.post("/people/:personId/correspondence", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: FormValues = {
      letterChannel: text(body.letterChannel),
      textsAllowed: text(body.textsAllowed),
      letterFormat: text(body.letterFormat),
      correspondenceLanguage: text(body.correspondenceLanguage),
    };
    const ctx = context(request);
    try {
      await setCorrespondence(ctx, personId, inputFrom(values));
      return reply.redirect(`/people/${personId}?correspondence=1`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const prefs = await getCorrespondence(ctx, personId);
      return render(reply, prefs, values, 400, error.fieldErrors);
    }
  });
}

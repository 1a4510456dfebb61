/**
 * Survey templates: which questions the end-of-chat survey asks and in what
 * words. CSAT (1–5) is always asked; NPS (0–10) and CES (1–7) are optional.
 * HQ versions templates in the group configuration (kind `survey_template`,
 * keyed by name); a site may override one locally. The web chat uses the
 * template named like the conversation's queue, else `default`, else the
 * widget's standard survey.
 */
import { z } from 'zod';
import { Id } from './domain';

/** The template every queue without its own falls back to. */
export const DEFAULT_SURVEY_TEMPLATE = 'default';

/** A question's words, Korean first; English falls back to Korean when absent. */
export const SurveyText = z
  .object({ ko: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300).optional() })
  .strict();
export type SurveyText = z.infer<typeof SurveyText>;

const Optional = z.object({ ask: z.boolean(), text: SurveyText.nullable().default(null) }).strict();

/** A template's questions; a null text means the widget's standard wording. */
export const SurveyQuestions = z
  .object({
    title: SurveyText.nullable().default(null),
    csat: z
      .object({ text: SurveyText.nullable().default(null) })
      .strict()
      .default({ text: null }),
    nps: Optional.default({ ask: true, text: null }),
    ces: Optional.default({ ask: true, text: null }),
  })
  .strict();
export type SurveyQuestions = z.infer<typeof SurveyQuestions>;

/** The survey as the widget shows it: the template's name and its questions (null: not asked). */
export const SurveyForm = z.object({
  template: z.string().nullable(),
  title: SurveyText.nullable(),
  csat: z.object({ text: SurveyText.nullable() }),
  nps: z.object({ text: SurveyText.nullable() }).nullable(),
  ces: z.object({ text: SurveyText.nullable() }).nullable(),
});
export type SurveyForm = z.infer<typeof SurveyForm>;

/** The standard survey: all three questions in the widget's own words. */
export const STANDARD_SURVEY: SurveyForm = {
  template: null,
  title: null,
  csat: { text: null },
  nps: { text: null },
  ces: { text: null },
};

export function surveyForm(template: string | null, q: SurveyQuestions): SurveyForm {
  return {
    template,
    title: q.title,
    csat: { text: q.csat.text },
    nps: q.nps.ask ? { text: q.nps.text } : null,
    ces: q.ces.ask ? { text: q.ces.text } : null,
  };
}

/** A site's template (admin resource `survey-templates`). */
export const SurveyTemplate = z.object({
  id: Id,
  siteId: Id,
  name: z.string().trim().min(1).max(100),
  questions: SurveyQuestions,
});
export type SurveyTemplate = z.infer<typeof SurveyTemplate>;

export const CreateSurveyTemplate = SurveyTemplate.omit({ id: true, siteId: true }).extend({
  siteId: Id.optional(),
});

/**
 * Which survey a web chat gets: the site's template named like the
 * conversation's queue, else its `default` template, else the standard
 * survey. Templates come from HQ's group configuration or the site's own
 * admin (`survey-templates`); either way they are rows of `survey_templates`.
 */
import type { Selectable } from 'kysely';
import {
  DEFAULT_SURVEY_TEMPLATE,
  STANDARD_SURVEY,
  type SurveyForm,
  SurveyQuestions,
  type SurveyTemplate,
  surveyForm,
} from '@shared/surveys';
import type { Db } from '../../storage/database';
import type { SurveyTemplatesTable } from '../../storage/schema';

export const toSurveyTemplate = (r: Selectable<SurveyTemplatesTable>): SurveyTemplate => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  questions: SurveyQuestions.parse(JSON.parse(r.questions_json)),
});

export async function surveyFor(db: Db, siteId: string, queueId: string | null): Promise<SurveyForm> {
  const queue = queueId
    ? await db.selectFrom('queues').select('name').where('id', '=', queueId).executeTakeFirst()
    : undefined;
  const names = [...(queue ? [queue.name] : []), DEFAULT_SURVEY_TEMPLATE];
  const rows = await db
    .selectFrom('survey_templates')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('name', 'in', names)
    .execute();
  for (const name of names) {
    const row = rows.find((r) => r.name === name);
    if (!row) continue;
    const parsed = SurveyQuestions.safeParse(JSON.parse(row.questions_json));
    // A template that no longer parses (hand-edited row) must not cost the customer the survey.
    if (parsed.success) return surveyForm(name, parsed.data);
  }
  return STANDARD_SURVEY;
}

// The API's shapes for the pages, every one an alias of the types generated from
// src/main/resources/openapi.yaml at build time (schema.d.ts, npm run api-types), so a page that
// reads a field the contract does not have fails the build.
import type { components, paths } from './schema';

type S = components['schemas'];
type Json<P extends keyof paths, M extends keyof paths[P], C extends number = 200> =
  paths[P][M] extends { responses: { [K in C]: { content: { 'application/json': infer B } } } } ? B : never;

export type Contact = S['Contact'];
export type ContactTag = S['ContactTag'];
export type ContactDetail = Json<'/api/v1/contacts/{id}', 'get'>;
export type ContactPage = Json<'/api/v1/contacts', 'get'>;
export type TagGroup = S['TagGroup'];
export type Tag = S['Tag'];
export type TagChange = S['TagChange'];
export type Event = S['Event'];
export type EventPage = S['EventPage'];
export type PointsEntry = S['PointsEntry'];
export type Points = Json<'/api/v1/contacts/{id}/points', 'get'>;
export type Growth = Json<'/api/v1/contacts/{id}/growth', 'get'>;
export type Grant = S['Grant'];
export type Touch = S['Touch'];
export type TouchDetail = Json<'/api/v1/touches/{id}', 'get'>;
export type Template = S['Template'];
export type TemplateVersion = S['TemplateVersion'];
export type TemplateVariant = S['TemplateVariant'];
export type Preview = Json<'/api/v1/templates/{key}/preview', 'post'>;
export type PreviewInput = NonNullable<paths['/api/v1/templates/{key}/preview']['post']['requestBody']>['content']['application/json'];
export type Journey = S['Journey'];
export type JourneyDeployment = S['JourneyDeployment'];
export type Migration = Json<'/api/v1/journeys/{key}/migrate', 'post'>;
export type ContactJourney = NonNullable<Json<'/api/v1/contacts/{id}/journeys', 'get'>['items']>[number];
export type Page<T> = { items: T[]; next_cursor: string | null };

export type Role = S['Role'];
export type User = S['User'];
export type Session = S['Session'];
export type Sample = NonNullable<Json<'/api/v1/journeys/samples', 'get'>['items']>[number];
export type Choices = Json<'/api/v1/designer/choices', 'get'>;

import { api, call, type Input, type Ok } from './client.ts';
import type { DashboardParams } from './dashboard.ts';

const story = api.stories[':id'];
const id = (n: number) => ({ id: String(n) });

export type StoryList = Ok<typeof api.stories.$get>;
export type StorySummary = StoryList['stories'][number];
export type StoryDetail = Ok<typeof story.$get>;
export type StoryDocument = StoryDetail['documents'][number];
export type StoryGrouping = Input<typeof api.stories.group.$post>['json'];
export type StoryComparison = Ok<typeof api.dashboard.compare.stories.$get>;

/** Typed calls to `/api/stories` and the story-matched comparison. */
export const storiesApi = {
  list: (query: NonNullable<Input<typeof api.stories.$get>['query']>) => call(api.stories.$get({ query })),
  get: (storyId: number, query: NonNullable<Input<typeof story.$get>['query']>) => call(story.$get({ param: id(storyId), query })),
  group: (json: StoryGrouping) => call(api.stories.group.$post({ json })),
  rename: (storyId: number, title: string) => call(story.$patch({ param: id(storyId), json: { title } })),
  merge: (storyId: number, stories: number[]) => call(story.merge.$post({ param: id(storyId), json: { stories } })),
  split: (storyId: number, documents: number[], title?: string) => call(story.split.$post({ param: id(storyId), json: title ? { documents, title } : { documents } })),
  removeDocument: (storyId: number, documentId: number) => call(story.documents[':documentId'].$delete({ param: { id: String(storyId), documentId: String(documentId) } })),
  compare: (p: DashboardParams, a: string, b: string) => call(api.dashboard.compare.stories.$get({ query: { ...p, a, b } })),
};

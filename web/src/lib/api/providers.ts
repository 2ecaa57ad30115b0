import { api, call, type Input, type Ok } from './client.ts';

const profiles = api.providers.profiles;
const one = profiles[':id'];
const id = (n: number) => ({ id: String(n) });

/** The Settings page's data: profiles (keys as last four characters), presets, the environment's provider. */
export type ProfileList = Ok<typeof profiles.$get>;
export type ProviderProfile = ProfileList['profiles'][number];
export type Preset = ProfileList['presets'][number];
export type ProfileInput = Input<typeof profiles.$post>['json'];
export type ProfilePatch = Input<typeof one.$patch>['json'];
export type ConnectionTest = Ok<typeof one.test.$post>['test'];

export const listProfiles = () => call(profiles.$get());
export const createProfile = (p: ProfileInput) => call(profiles.$post({ json: p }));
export const updateProfile = (profileId: number, p: ProfilePatch) => call(one.$patch({ param: id(profileId), json: p }));
export const deleteProfile = (profileId: number) => call(one.$delete({ param: id(profileId) }));
export const testProfile = (profileId: number) => call(one.test.$post({ param: id(profileId) }));

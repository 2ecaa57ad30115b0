import type { FixtureSource } from '../fixtures.ts';

/**
 * Hand-written event reports for the story tests: three events, each told by different outlets
 * in their own words, and reports that share a topic, a place or a week with one of them but
 * are another event. Written for the tests; no real article.
 */
export const EVENT_REPORTS = {
  strikeNorth: {
    title: 'Dockworkers walk out at Valmora port over night-shift pay',
    published: '2025-03-04',
    passages: [
      'About 1,200 dockworkers at the port of Valmora stopped work on Tuesday morning after talks on night-shift pay with the Valmora Port Authority broke down.',
      'The Harbour Workers Union said container cranes would stay idle until the authority restores the bonus it cut in January. Ships were already queuing outside the breakwater.',
    ],
  },
  strikeDaily: {
    title: 'Valmora port at a standstill as dockworkers strike over night-shift bonus',
    published: '2025-03-04',
    passages: [
      'Container traffic at Valmora port came to a halt on Tuesday when dockworkers walked out in a dispute over the night-shift bonus cut by the port authority in January.',
      'Union leaders said roughly 1,200 members joined the strike and that cranes would stay idle until the Valmora Port Authority reversed the cut.',
    ],
  },
  strikeCourier: {
    title: 'Strike halts cranes at Valmora: union demands night-shift bonus back',
    published: '2025-03-05',
    passages: [
      'Cranes stood idle at Valmora port for a second day as the Harbour Workers Union kept up its strike over the night-shift bonus.',
      'The port authority said it was ready to resume talks on pay, while ships waited outside the breakwater and the dockworkers picketed the gates.',
    ],
  },
  rateNorth: {
    title: 'Drelland central bank raises its main rate to 4.5 percent',
    published: '2025-03-06',
    passages: [
      'The central bank of Drelland raised its main interest rate by half a point to 4.5 percent on Thursday, citing inflation that has stayed above six percent for a year.',
      'Governor Ilse Marant told reporters the bank was prepared to raise rates again if prices kept rising faster than wages.',
    ],
  },
  rateDaily: {
    title: 'Marant lifts Drelland interest rate half a point to fight inflation',
    published: '2025-03-06',
    passages: [
      'Drelland central bank governor Ilse Marant announced a half-point rise in the main interest rate to 4.5 percent on Thursday.',
      'Inflation above six percent left the bank no choice, Marant said, adding that further rises were possible if prices kept outpacing wages.',
    ],
  },
  budgetNorth: {
    title: 'Drelland finance minister presents spending plan for schools and roads',
    published: '2025-03-06',
    passages: [
      'Finance minister Tomas Reuel presented a budget on Thursday that raises spending on schools and regional roads while freezing public sector hiring.',
      'Opposition members said the plan relied on optimistic tax forecasts, and a vote in parliament is expected before the summer recess.',
    ],
  },
  floodCourier: {
    title: 'Kessin river bursts its banks, hundreds evacuated from Lunden',
    published: '2025-03-10',
    passages: [
      'Several hundred residents of Lunden were evacuated overnight after the Kessin river burst its banks following three days of heavy rain.',
      'Firefighters used boats to reach houses in the lower town, and the regional council opened the sports hall in Lunden as an emergency shelter.',
    ],
  },
  floodDaily: {
    title: 'Flooding in Lunden as the Kessin overflows after heavy rain',
    published: '2025-03-11',
    passages: [
      'The Kessin river overflowed in Lunden after days of heavy rain, forcing the evacuation of several hundred people from the lower town.',
      'Residents spent the night in the sports hall the regional council opened as a shelter, while firefighters in boats checked flooded houses.',
    ],
  },
  strikeLater: {
    title: 'Dockworkers at Ostrel port strike over safety rules',
    published: '2025-04-22',
    passages: [
      'Dockworkers at the port of Ostrel walked out on Tuesday over new safety rules for container lashing that they say were imposed without consultation.',
      'The Ostrel harbour company said the rules follow two accidents last year and that talks with the union would resume next week.',
    ],
  },
};

type Report = keyof typeof EVENT_REPORTS;

const doc = (key: Report) => ({ title: EVENT_REPORTS[key].title, published: EVENT_REPORTS[key].published, passages: EVENT_REPORTS[key].passages.map((text) => ({ text })) });

/** The outlets and what each published, in seeding order. */
export const STORY_OUTLETS: { name: string; reports: Report[] }[] = [
  { name: 'Northern Herald', reports: ['strikeNorth', 'rateNorth', 'budgetNorth'] },
  { name: 'Daily Ledger', reports: ['strikeDaily', 'rateDaily', 'floodDaily'] },
  { name: 'Coastal Courier', reports: ['strikeCourier', 'floodCourier', 'strikeLater'] },
];

/** The outlets as seedCorpus takes them. */
export function storyCorpus(): FixtureSource[] {
  return STORY_OUTLETS.map((o) => ({ name: o.name, documents: o.reports.map(doc) }));
}

/** Document ids by report key, for a corpus seeded from storyCorpus (ids follow seeding order). */
export function reportIds(seeded: readonly { id: number }[]): Record<Report, number> {
  const keys = STORY_OUTLETS.flatMap((o) => o.reports);
  return Object.fromEntries(keys.map((k, i) => [k, seeded[i]!.id])) as Record<Report, number>;
}

/** Cache tags of the milestones module (src/infra/cache.ts). */
export const MilestoneTags = {
  /** Every event rule. */
  rules: 'rules',
};

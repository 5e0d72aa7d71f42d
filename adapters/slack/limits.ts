/**
 * Block Kit limits (https://api.slack.com/reference/block-kit). Slack rejects a whole
 * message (`invalid_blocks`) when one is exceeded, so every renderer clips to these and
 * the render test checks them over the whole question bank.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerHomeView: 100,
  sectionText: 3000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  placeholderText: 150,
  actionId: 255,
  blockId: 255,
  checkboxOptions: 10,
  selectOptions: 100,
  overflowOptions: 5,
  headerText: 150,
  /** Top-level `text` of a message (the notification fallback); Slack truncates after 40k. */
  fallbackText: 3000,
} as const;

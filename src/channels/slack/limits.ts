// Slack's Block Kit limits, in one place. Each figure is the one documented in @slack/types
// (node_modules/@slack/types/dist/views.d.ts, block-kit/blocks.d.ts, block-elements.d.ts, composition-objects.d.ts).
// The translator in block-kit.ts checks every card against these and refuses one that would break a limit.

/** views.d.ts: "Max of 100 blocks" in a view. */
export const MAX_BLOCKS_IN_MODAL = 100;
/** Slack's message reference: at most 50 blocks in one message. */
export const MAX_BLOCKS_IN_MESSAGE = 50;
/** views.d.ts: modal title, submit and close texts, "maximum length of 24 characters". */
export const MAX_MODAL_TITLE = 24;
export const MAX_MODAL_BUTTON_TEXT = 24;
/** views.d.ts: private_metadata "Maximum length of 3000 characters". */
export const MAX_PRIVATE_METADATA = 3000;
/** views.d.ts: callback_id "Maximum length of 255 characters". */
export const MAX_CALLBACK_ID = 255;
/** blocks.d.ts: block_id "Maximum length for this field is 255 characters". */
export const MAX_BLOCK_ID = 255;
/** block-elements.d.ts: plain_text_input max_length "Maximum value is 3000". */
export const MAX_TEXT_INPUT = 3000;
/** composition-objects.d.ts: option text "Maximum length for the text in this field is 75 characters". */
export const MAX_OPTION_TEXT = 75;
/** composition-objects.d.ts: option value "Maximum length for this field is 75 characters". Values are never truncated. */
export const MAX_OPTION_VALUE = 75;
/** block-elements.d.ts: static_select "Maximum number of options is 100". */
export const MAX_SELECT_OPTIONS = 100;
/** block-elements.d.ts: button text "Maximum length for the text in this field is 75 characters". */
export const MAX_BUTTON_TEXT = 75;
/** block-elements.d.ts: button value "Maximum length for this field is 2000 characters". */
export const MAX_BUTTON_VALUE = 2000;
/** block-elements.d.ts: button url "Maximum length for this field is 3000 characters". */
export const MAX_BUTTON_URL = 3000;
/** block-elements.d.ts: action_id, like block_id, at most 255 characters. */
export const MAX_ACTION_ID = 255;
/** blocks.d.ts: "There is a maximum of 25 elements in each action block". */
export const MAX_ACTIONS_IN_BLOCK = 25;
/** blocks.d.ts: header text "Maximum length for the text in this field is 150 characters". */
export const MAX_HEADER_TEXT = 150;
/** composition-objects.d.ts: section text "maximum length is 3000 characters". */
export const MAX_SECTION_TEXT = 3000;
/** blocks.d.ts: section fields "Maximum number of items is 10"; "Maximum length for the text in each item is 2000". */
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT = 2000;
/** blocks.d.ts: context elements, at most 10; each text object at most 3000 characters. */
export const MAX_CONTEXT_TEXT = 3000;
/** blocks.d.ts: input label "Maximum length for the text in this field is 2000 characters". */
export const MAX_INPUT_LABEL = 2000;
/** extensions.d.ts: placeholder "Maximum length for the text field in this object is 150 characters". */
export const MAX_PLACEHOLDER = 150;

// What a person typed into a modal or a message, from Slack's `state.values` to the flat id -> text map the core
// reads from Teams too. Each input block's id is the card input's id; its one element has action id "value".
type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function inputsOf(state: unknown): Record<string, string> {
  const values = isRecord(state) && isRecord(state.values) ? state.values : {};
  const out: Record<string, string> = {};
  for (const [blockId, block] of Object.entries(values)) {
    if (!isRecord(block)) continue;
    const element = Object.values(block).find(isRecord);
    if (element) out[blockId] = valueOf(element);
  }
  return out;
}

function valueOf(element: Json): string {
  switch (element.type) {
    case "plain_text_input":
      return typeof element.value === "string" ? element.value : "";
    case "static_select":
      return isRecord(element.selected_option) && typeof element.selected_option.value === "string" ? element.selected_option.value : "";
    case "datepicker":
      return typeof element.selected_date === "string" ? element.selected_date : "";
    case "checkboxes": {
      // A toggle: ticked sends its valueOn; unticked is "false", the Adaptive Card default for valueOff.
      const ticked = Array.isArray(element.selected_options) ? element.selected_options.filter(isRecord) : [];
      return typeof ticked[0]?.value === "string" ? ticked[0].value : "false";
    }
    default:
      return "";
  }
}

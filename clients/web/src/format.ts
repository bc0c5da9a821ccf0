// How numbers, ranges, dates and pasted addresses read: pure functions, so the
// wording is the same in every component.

const numbers = new Intl.NumberFormat("en-US");

/** `1234` -> `1,234`; `exact: false` -> `100+`. */
export function count(n: number, exact = true): string {
  return `${numbers.format(n)}${exact ? "" : "+"}`;
}

/**
 * The paging line: `1–20 of 1,234`, or `of 100+` when the total is a floor. A page past
 * a floor says `of 120+`: at least as many as have been seen.
 */
export function range(offset: number, shown: number, total: number, exact: boolean): string {
  if (shown === 0) return offset === 0 ? "No invites" : `Nothing past ${numbers.format(offset)}`;
  const first = offset + 1;
  const last = offset + shown;
  const of = exact ? count(total) : count(Math.max(total, last), false);
  return `${numbers.format(first)}–${numbers.format(last)} of ${of}`;
}

/** A date and time in the reader's locale and time zone, with the zone named. */
export function dateTime(iso: string | null | undefined, timeZone?: string | null): string {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
      ...(timeZone ? { timeZone } : {}),
    }).format(at);
  } catch {
    // An unknown time zone name: the reader's own.
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at);
  }
}

/** A person's name from an invite's parts, or `""`. */
export function fullName(first: string | null | undefined, last: string | null | undefined): string {
  return [first, last].filter((p): p is string => typeof p === "string" && p !== "").join(" ");
}

/**
 * The addresses in pasted text: separated by commas, semicolons, spaces or new lines,
 * with `Name <address>` reduced to the address. Repeats (ignoring case) are dropped so
 * that one paste never invites one person twice; each address keeps its first spelling.
 */
export function parseEmails(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const angled = text.replace(/[^<>,;\n]*<([^<>]*)>/g, " $1 ");
  for (const raw of angled.split(/[\s,;]+/)) {
    const email = raw.trim().replace(/^mailto:/i, "");
    if (email === "") continue;
    const key = email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(email);
  }
  return out;
}

/** Role keys from a comma- or space-separated list. */
export function parseList(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** Words for each email outcome, and what the admin can do about it. */
export function emailStatusText(status: string): string {
  switch (status) {
    case "queued":
      return "Queued";
    case "sent":
      return "Sent";
    case "delivered":
      return "Delivered";
    case "failed":
      return "Failed";
    case "bounced":
      return "Bounced";
    case "complained":
      return "Marked as spam";
    case "skipped":
      return "Not emailed";
    default:
      return status;
  }
}

export function statusText(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

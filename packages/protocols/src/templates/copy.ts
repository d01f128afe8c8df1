import { show } from "../common/assert.js";
import type { ProtocolTemplate } from "./types.js";
import { assertValidTemplate } from "./validate.js";

/**
 * Copy a template for a site to edit: deep clone, new id `<siteId>/<baseId>`, `version` =
 * source version + 1 when copying the site's own template (same siteId), else 1, `derivedFrom`
 * = "id@version" of the source, and a new name. The source is validated first.
 * @throws TypeError if siteId/name are not non-empty strings; RangeError if `t` is invalid.
 */
export function copyTemplate(
  t: ProtocolTemplate,
  opts: { siteId: string; name: string },
): ProtocolTemplate {
  assertValidTemplate(t, "t");
  if (typeof opts?.siteId !== "string" || opts.siteId.trim() === "" || /[/\s]/.test(opts.siteId)) {
    throw new TypeError(
      `opts.siteId must be a non-empty string without '/' or spaces, got ${show(opts?.siteId)}`,
    );
  }
  if (typeof opts.name !== "string" || opts.name.trim() === "") {
    throw new TypeError(`opts.name must be a non-empty string, got ${show(opts.name)}`);
  }
  const clone = structuredClone(t);
  const baseId =
    t.siteId !== undefined && t.id.startsWith(`${t.siteId}/`)
      ? t.id.slice(t.siteId.length + 1)
      : t.id;
  const sameSite = t.siteId === opts.siteId;
  return {
    ...clone,
    id: `${opts.siteId}/${baseId}`,
    version: sameSite ? t.version + 1 : 1,
    name: opts.name,
    siteId: opts.siteId,
    derivedFrom: `${t.id}@${t.version}`,
  };
}

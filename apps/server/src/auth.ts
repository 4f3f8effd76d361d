// Bearer-token check in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * A checker for `Authorization: Bearer <token>` headers. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  const want = createHash("sha256").update(token).digest();
  return (header) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
    const got = createHash("sha256")
      .update(match ? match[1] : "")
      .digest();
    return timingSafeEqual(want, got) && match !== null;
  };
}

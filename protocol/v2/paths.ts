// AbsolutePathBuf in a module of its own: `initialize` needs it, and the dispatcher validates
// `initialize` before it loads the rest of the protocol (server/handlers/lazyTable.ts); from
// shared.ts it would bring ~100 other schemas into every cold start. shared.ts re-exports it.
import * as z from "zod";

/** A path that is guaranteed to be absolute and normalized (though it is not guaranteed to be canonicalized or exist on the filesystem).
 *
 * IMPORTANT: When deserializing an `AbsolutePathBuf`, a base path must be set using [AbsolutePathBufGuard::new]. If no base path is set, the deserialization will fail unless the path being deserialized is already absolute. */
export const AbsolutePathBuf = z.string().register(z.globalRegistry, { id: "AbsolutePathBuf" });
export type AbsolutePathBuf = z.infer<typeof AbsolutePathBuf>;

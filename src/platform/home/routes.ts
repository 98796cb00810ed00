/** GET /api/home/todos: the console home's to-dos of the signed-in user, from every module's provider. */
import { Type } from "typebox";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses, named } from "../http/schemas.js";
import { collectTodos, type TodoProvider } from "./todos.js";

const Todo = named(
  "TodoItem",
  Type.Object({
    key: Type.String({ description: "stable, \"<module>.<what>\"" }),
    count: Type.Integer({ minimum: 0 }),
    label: Type.Object({ zh: Type.String(), en: Type.String() }),
    link: Type.String({ description: "the web list page with its query string; the list's API takes the same query" }),
    severity: Type.Union([Type.Literal("info"), Type.Literal("warning"), Type.Literal("danger")]),
  }),
);

export async function homeRoutes(app: App, opts: { providers: readonly TodoProvider[] }): Promise<void> {
  app.get(
    "/api/home/todos",
    {
      schema: {
        tags: ["platform"],
        summary: "Your to-dos (待办): per queue you can act on, how many wait and the list that shows them",
        response: { 200: Type.Object({ items: Type.Array(Todo) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await collectTodos(app.ctx.database.db, actor, opts.providers) };
    },
  );
}

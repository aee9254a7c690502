// Sign in: paste the token `reciprocity users add` printed; it is kept for this tab only.

import { token } from "../api.js";
import { h, field, showError, clearError } from "../ui.js";

export const title = () => "Sign in";

export async function render(root, _params, session) {
  const input = h("input", {
    type: "password",
    name: "token",
    id: "token",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    size: "72",
  });
  const result = h("p", { id: "login-result", "aria-live": "polite" });
  const form = h("form", { id: "login-form", novalidate: true },
    field("API token", input, "The rcp_… token printed once by `reciprocity users add`. Kept in this tab's session storage only."),
    h("p", {}, h("button", { type: "submit" }, "Sign in")));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    const value = input.value.trim();
    if (!value) {
      showError({ code: "bad_request", message: "paste a token first" });
      input.focus();
      return;
    }
    token.set(value);
    try {
      const me = await session.refresh();
      input.value = "";
      result.replaceChildren(`You are ${me.name}, role ${me.role}. `, h("a", { href: "#/board" }, "Open the negotiation board"));
    } catch (e) {
      token.clear();
      result.textContent = "";
      showError(e);
      input.focus();
    }
  });

  root.append(
    h("h1", {}, "Sign in"),
    h("p", { class: "lead" },
      "Each user has an API token. The US lead (admin) sees every talk, a partner's team only its own, analysts read."),
    form,
    result,
  );
  const me = await session.ready;
  if (me) result.replaceChildren(`You are signed in as ${me.name}, role ${me.role}. `, h("a", { href: "#/board" }, "Open the negotiation board"));
}

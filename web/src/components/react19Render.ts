import { createRoot, type Root } from "react-dom/client";
import type { ReactElement } from "react";

type Container = (Element | DocumentFragment) & { _gzRoot?: Root };

/**
 * antd 5 and antd-mobile 5 render pop-ups (message, Modal, Toast, Dialog) with the React 18
 * `render` API, which React 19 removed; both let us hand them React 19's `createRoot` instead.
 */
export function react19Render(node: ReactElement, container: Element | DocumentFragment): () => Promise<void> {
  const el = container as Container;
  el._gzRoot ??= createRoot(el);
  const root = el._gzRoot;
  root.render(node);
  return async () => {
    await Promise.resolve();
    root.unmount();
    delete el._gzRoot;
  };
}

import { lazy, type ComponentType, type LazyExoticComponent } from "react";

/**
 * A page loaded on first visit, so each route is its own chunk (no page's code, maps or tables
 * weigh on the others). Pages keep their named export; this picks it from the loaded module.
 */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(async () => {
    const page: ComponentType = (await load())[name];
    return { default: page };
  });
}

/// <reference types="node" />
import path from "node:path";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

/**
 * The web app lives in `web/` and is built into `dist/web`, which the Fastify process serves at `/`.
 * In development `/api` is proxied to the server on port 3000.
 */
export default defineConfig({
  root: __dirname,
  publicDir: path.resolve(__dirname, "public"),
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, "../dist/web"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 500,
    rollupOptions: {
      output: {
        // The two message catalogues load with the entry, as their own file, so the entry stays under 500 kB.
        manualChunks: (id) => (id.includes("/web/src/locales/") ? "locales" : undefined),
        // Name shared chunks after the library they carry (splitting itself is left to Rollup,
        // so the resident's phone never loads antd and the console never loads antd-mobile).
        chunkFileNames(chunk) {
          if (chunk.isEntry || chunk.isDynamicEntry) return "assets/[name]-[hash].js";
          const has = (pkg: string) => chunk.moduleIds.some((id) => id.includes(`/node_modules/${pkg}/`));
          const name = has("leaflet")
            ? "map"
            : has("antd-mobile")
              ? "antd-mobile"
              : has("antd")
                ? "antd"
                : has("@ant-design/icons")
                  ? "icons"
                  : "[name]";
          return `assets/${name}-[hash].js`;
        },
      },
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", changeOrigin: false },
    },
  },
});

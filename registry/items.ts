import { sourceFilesUnder } from "./import-graph";

/**
 * The two registry items, by their entry points: `npm run registry:build` walks the imports from
 * these and lists every file they reach, so the registry follows the code when files move.
 * A file under registry/<item>/ lands at the path after it (registry/qr-login/proxy.ts → proxy.ts),
 * and takes the place of an included item's file that lands there (each item's instrumentation.ts).
 */
export type RegistryItemSource = {
  name: string;
  title: string;
  description: string;
  entries: (root: string) => string[];
  /** Items this one carries whole (files, packages, variables), so that it installs on its own. */
  includes?: string[];
  envVars?: Record<string, string>;
  /**
   * Packages the host adds only for a feature it turns on, by the variable that turns it on: not
   * dependencies (the code imports them at run time, past the bundler); listed in the item's meta.
   */
  optionalPackages?: Record<string, string>;
};

export const REGISTRY_ITEMS: RegistryItemSource[] = [
  {
    name: "qr-login",
    title: "QR login (Authing V3)",
    description:
      "Scan with your phone app to sign in: <QrLogin> and its hooks, the browser's three endpoints, NextAuth's `qrcode` credentials provider, the Authing V3 client, a sign-in page at /login, the proxy that binds each code to its browser, and instrumentation.ts (the configuration check and its warnings at start, the SIGTERM drain). Its screens are Tailwind on your app's shadcn/ui primitives (registryDependencies), so they take your theme: run `shadcn init` first in an app without components.json.",
    // The browser's endpoints and NextAuth's by their folders; not the starter's own /login (the
    // item brings registry/qr-login's), nor its health and metrics routes.
    entries: (root) => [
      "components/qr-login/index.ts",
      ...sourceFilesUnder(root, "app/(qr-login)/api/qr-login"),
      ...sourceFilesUnder(root, "app/(qr-login)/api/auth"),
      "lib/qr-login/client/auth/next-auth.d.ts",
      "registry/qr-login/app/login/page.tsx",
      "registry/qr-login/proxy.ts",
      "registry/qr-login/instrumentation.ts",
    ],
    envVars: {
      AUTHING_APP_ID: "",
      AUTHING_APP_SECRET: "",
      // Empty, not a placeholder: with the provider item too, an empty host is the embedded provider.
      AUTHING_APP_HOST: "",
      NEXTAUTH_SECRET: "",
      NEXTAUTH_URL: "http://localhost:3000",
    },
    optionalPackages: {
      "prom-client": "METRICS_TOKEN (Prometheus metrics at /api/metrics)",
      "@opentelemetry/api": "OTEL_EXPORTER_OTLP_ENDPOINT (traces; the app's instrumentation.ts registers the SDK)",
      redis: "REDIS_URL (sign-outs and rate limits shared by every instance; with qr-login-provider, its store)",
      "pino-pretty": "LOG_FORMAT=pretty (readable log lines; used while developing when installed)",
    },
  },
  {
    name: "qr-login-provider",
    title: "Embedded Authing-compatible provider and phone companion",
    description:
      "The identity provider for the QR login, inside your app: users, RS256 tokens and JWKS, the QR state machine in SQLite or Redis, its /api/v3 and /oidc routes, and the companion phone pages at /m, with everything in qr-login; its instrumentation.ts adds the provider's start (data folder, demo accounts, in-process transport) to the client's. Leave AUTHING_APP_HOST unset to use it.",
    entries: (root) => [
      ...sourceFilesUnder(root, "app/(provider)"),
      "registry/qr-login-provider/instrumentation.ts",
      // Adding users where sign-up is off (production): `npx tsx --conditions=react-server scripts/qr-login/add-user.mts`.
      "scripts/qr-login/add-user.mts",
    ],
    includes: ["qr-login"],
  },
];

/** Set by rspack's DefinePlugin: true in production builds, where the service worker exists. */
declare const __BILLETIX_SERVICE_WORKER__: boolean;

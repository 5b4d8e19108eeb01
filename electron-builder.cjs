// electron-builder configuration: the installers a merchant gets. `npm run dist` builds those of the
// current OS into dist/ (electron-builder finds this file by its name). Version comes from package.json.
//
// Signing and notarisation come only from environment variables, never from this repo; without them
// the packages are built unsigned (fine for testing, OSes warn on install):
//   macOS signing:      CSC_LINK (path/URL/base64 of a .p12 "Developer ID Application"), CSC_KEY_PASSWORD;
//                       CSC_IDENTITY_AUTO_DISCOVERY=false forces an unsigned build on a Mac with certificates.
//   macOS notarisation: APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER (preferred), or APPLE_ID +
//                       APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID; none set = notarisation skipped.
//   Windows signing:    WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD (or CSC_LINK + CSC_KEY_PASSWORD), a .pfx.
//   Linux:              AppImage and deb are not signed.
//
// LINK_DESK_E2E_BUILD=1 makes a test build for Playwright (Node inspector arguments allowed, see
// scripts/after-pack-fuses.mjs) into dist/e2e, so it never mixes with release packages.
const e2eBuild = process.env.LINK_DESK_E2E_BUILD === '1';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'app.linkdesk.desk',
  productName: 'Link Desk',
  copyright: 'Copyright © Link Desk',
  directories: { output: e2eBuild ? 'dist/e2e' : 'dist', buildResources: 'build' },

  // Only what runs: the built app and package.json (electron-builder adds the production dependencies
  // from node_modules itself). No src/, test/, bench/, scripts/, build/ sources, no source maps, and not
  // the web bridge's stand-in preload (out/web-bridge), which only the browser variant uses.
  files: ['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', '!**/*.map'],
  asar: true,
  // Native modules cannot be dlopen()ed from inside an archive: keytar's keytar.node in node_modules
  // and the copy electron-vite puts next to the main bundle (out/main/chunks/keytar-*.node) stay
  // outside it, in app.asar.unpacked. node:sqlite is built into Electron's Node: nothing to unpack.
  asarUnpack: ['**/*.node'],
  afterPack: `${__dirname}/scripts/after-pack-fuses.mjs`,
  // Rebuild native dependencies for Electron's headers when packaging for real (keytar is N-API, so
  // this is a safety net); the packaging test turns it off.
  npmRebuild: true,

  // Electron takes its Linux app_id / WM_CLASS from desktopName; with syncDesktopName the menu entry gets
  // the same name, so the desktop links the running window (and the tray start) to Link Desk's entry.
  // deb requires a homepage (package.json has none): LINK_DESK_HOMEPAGE, or a placeholder until there is a site.
  extraMetadata: { desktopName: 'link-desk.desktop', homepage: process.env.LINK_DESK_HOMEPAGE || 'https://link-desk.invalid/' },

  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'link-desk',
    syncDesktopName: true,
    icon: 'build/icons',
    // Menu categories (desktop entry and deb): Finance is an additional category, it needs a main one.
    category: 'Office;Finance',
    synopsis: 'Create secupay Payment Links, show them as QR codes and watch them get paid',
    description: 'Create secupay Payment Links, show them as QR codes and watch them get paid',
    maintainer: 'Link Desk',
    vendor: 'Link Desk',
    desktop: {
      entry: {
        Name: 'Link Desk',
        GenericName: 'Payment links',
        'Comment[de]': 'secupay-Zahlungslinks erstellen, als QR-Code zeigen und Zahlungseingang verfolgen',
        Keywords: 'payment;link;QR;secupay;Zahlung;Zahlungslink;',
      },
    },
  },
  deb: {
    // libsecret for the keychain; the rest is what Electron needs on Debian/Ubuntu.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  mac: {
    target: ['dmg', 'zip'],
    icon: 'build/icon.icns',
    category: 'public.app-category.finance',
    // Required for notarisation; electron-builder's default entitlements cover Electron's JIT.
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Link Desk',
    artifactName: '${productName}-Setup-${version}.${ext}',
  },

  publish: null,
};

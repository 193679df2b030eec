import type { RemoteManifest } from "@billetix/web-contract";
import { CatalogPage } from "./catalog/catalog.page";
import { CategoriesPage } from "./categories/categories.page";
import { backOfficePage } from "./common/page-frame";
import { DashboardPage } from "./dashboard/dashboard.page";
import { InstitutionSettingsPage } from "./institutions/institution-settings.page";
import { InstitutionsPage } from "./institutions/institutions.page";
import { PerformanceSourcesPage } from "./performance-sources/performance-sources.page";
import { SourcesPage } from "./sources/sources.page";
import { UsersPage } from "./users/users.page";
import { VenuesPage } from "./venues/venues.page";

/** What the shell reads from `./manifest`: the back office's pages and its menu entries. */
const manifest: RemoteManifest = {
  name: "backoffice",
  title: { fr: "Back office", en: "Back office" },
  pages: [
    {
      path: "",
      nav: { fr: "Représentations", en: "Performances", order: 10 },
      component: backOfficePage(DashboardPage),
    },
    {
      path: "venues",
      nav: { fr: "Lieux et événements", en: "Venues and events", order: 15 },
      component: backOfficePage(VenuesPage),
    },
    {
      path: "institutions",
      nav: { fr: "Institutions", en: "Institutions", order: 30 },
      component: backOfficePage(InstitutionsPage),
    },
    {
      path: "users",
      nav: { fr: "Utilisateurs", en: "Users", order: 35 },
      component: backOfficePage(UsersPage),
    },
    {
      path: "sources",
      nav: { fr: "Sources", en: "Sources", order: 40 },
      component: backOfficePage(SourcesPage),
    },
    {
      path: "catalog",
      nav: {
        fr: "Ajouter des représentations automatiquement",
        en: "Add performances from a partner",
        order: 20,
      },
      component: backOfficePage(CatalogPage),
    },
    { path: "institutions/:id", component: backOfficePage(InstitutionSettingsPage) },
    { path: "performances/:id/sources", component: backOfficePage(PerformanceSourcesPage) },
    { path: "performances/:id/categories", component: backOfficePage(CategoriesPage) },
  ],
};

export default manifest;

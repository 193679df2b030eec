import { gql, type TypedDocumentNode } from "@apollo/client";

export type SortField = "startsAt" | "endsAt" | "importEndsAt" | "createdAt";
export type SortDirection = "asc" | "desc";

export interface DashboardFilter {
  from?: string;
  to?: string;
  archived: boolean;
  controlEnabled?: boolean;
  search?: string;
}

export interface DashboardRow {
  performance: {
    id: string;
    dated: boolean;
    startsAt: string | null;
    endsAt: string | null;
    label: string | null;
    importEndsAt: string | null;
    controlEnabled: boolean;
    excludedCategories: string[];
  };
  institution: { id: string; name: string };
  event: { id: string; name: string };
  venue: { id: string; name: string };
  admitted: number;
  valid: number;
  gaugePercent: number;
}

export interface DashboardData {
  performanceDashboard: { total: number; rows: DashboardRow[] };
}

export interface DashboardVars {
  institutionId: string;
  includeBranch: boolean;
  filter: DashboardFilter;
  sort: { field: SortField; direction: SortDirection };
  page: { offset: number; limit: number };
}

export const DASHBOARD: TypedDocumentNode<DashboardData, DashboardVars> = gql`
  query BackOfficeDashboard(
    $institutionId: ID!
    $includeBranch: Boolean!
    $filter: DashboardFilter
    $sort: DashboardSort
    $page: PageInput
  ) {
    performanceDashboard(
      institutionId: $institutionId
      includeBranch: $includeBranch
      filter: $filter
      sort: $sort
      page: $page
    ) {
      total
      rows {
        performance {
          id
          dated
          startsAt
          endsAt
          label
          importEndsAt
          controlEnabled
          excludedCategories
        }
        institution {
          id
          name
        }
        event {
          id
          name
        }
        venue {
          id
          name
        }
        admitted
        valid
        gaugePercent
      }
    }
  }
`;

export interface CountersData {
  performanceCounters: {
    performanceId: string;
    admittedCount: number;
    validCount: number;
    gaugePercent: number;
  };
}

export const PERFORMANCE_COUNTERS: TypedDocumentNode<CountersData, { performanceId: string }> = gql`
  subscription BackOfficePerformanceCounters($performanceId: ID!) {
    performanceCounters(performanceId: $performanceId) {
      performanceId
      admittedCount
      validCount
      gaugePercent
    }
  }
`;

export const SET_PERFORMANCE_CONTROL: TypedDocumentNode<
  { setPerformanceControl: { id: string; controlEnabled: boolean } },
  { id: string; controlEnabled: boolean }
> = gql`
  mutation BackOfficeSetPerformanceControl($id: ID!, $controlEnabled: Boolean!) {
    setPerformanceControl(id: $id, controlEnabled: $controlEnabled) {
      id
      controlEnabled
    }
  }
`;

export const VENUES_AND_EVENTS: TypedDocumentNode<
  {
    venues: { id: string; name: string }[];
    events: { id: string; name: string; venue: { id: string } | null }[];
  },
  { institutionId: string }
> = gql`
  query BackOfficeDashboardVenuesAndEvents($institutionId: ID!) {
    venues(institutionId: $institutionId) {
      id
      name
    }
    events(institutionId: $institutionId) {
      id
      name
      venue {
        id
      }
    }
  }
`;

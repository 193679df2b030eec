import { gql, type TypedDocumentNode } from "@apollo/client";

export interface SyncStatus {
  lastSyncAt: string | null;
  lastDurationMs: number | null;
  lastRecords: number | null;
  lastChanged: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  runningSince: string | null;
  runningRecords: number | null;
  runningProgress: number | null;
}

export interface PerformanceSource {
  id: string;
  running: boolean;
  nextSyncAt: string | null;
  params: Record<string, unknown>;
  status: SyncStatus;
  source: {
    id: string;
    name: string;
    typeLabel: string;
    kind: string | null;
    connectorId: string;
    configProblems: string[];
  };
}

export interface PerformanceWithSources {
  id: string;
  dated: boolean;
  startsAt: string | null;
  label: string | null;
  event: { id: string; name: string } | null;
  venue: { id: string; name: string } | null;
  institution: { id: string; name: string } | null;
  sources: PerformanceSource[];
}

const LINK_FIELDS = gql`
  fragment BackOfficePerformanceSource on PerformanceSource {
    id
    running
    nextSyncAt
    params
    status {
      lastSyncAt
      lastDurationMs
      lastRecords
      lastChanged
      lastError
      lastErrorAt
      runningSince
      runningRecords
      runningProgress
    }
    source {
      id
      name
      typeLabel
      kind
      connectorId
      configProblems
    }
  }
`;

export const PERFORMANCE_SOURCES: TypedDocumentNode<{ performance: PerformanceWithSources }, { id: string }> =
  gql`
  query BackOfficePerformanceSources($id: ID!) {
    performance(id: $id) {
      id
      dated
      startsAt
      label
      event {
        id
        name
      }
      venue {
        id
        name
      }
      institution {
        id
        name
      }
      sources {
        ...BackOfficePerformanceSource
      }
    }
  }
  ${LINK_FIELDS}
`;

type Params = { params: Record<string, string | boolean> };

export const ADD_PERFORMANCE_SOURCE: TypedDocumentNode<
  { addPerformanceSource: PerformanceSource },
  { performanceId: string; sourceId: string; input: Params }
> = gql`
  mutation BackOfficeAddPerformanceSource($performanceId: ID!, $sourceId: ID!, $input: PerformanceSourceInput!) {
    addPerformanceSource(performanceId: $performanceId, sourceId: $sourceId, input: $input) {
      ...BackOfficePerformanceSource
    }
  }
  ${LINK_FIELDS}
`;

export const UPDATE_PERFORMANCE_SOURCE: TypedDocumentNode<
  { updatePerformanceSource: PerformanceSource },
  { id: string; input: Params }
> = gql`
  mutation BackOfficeUpdatePerformanceSource($id: ID!, $input: PerformanceSourceInput!) {
    updatePerformanceSource(id: $id, input: $input) {
      ...BackOfficePerformanceSource
    }
  }
  ${LINK_FIELDS}
`;

export const REMOVE_PERFORMANCE_SOURCE: TypedDocumentNode<
  { removePerformanceSource: boolean },
  { id: string }
> = gql`
    mutation BackOfficeRemovePerformanceSource($id: ID!) {
      removePerformanceSource(id: $id)
    }
  `;

export const REFRESH_PERFORMANCE_SOURCE: TypedDocumentNode<
  { refreshPerformanceSource: PerformanceSource },
  { id: string }
> = gql`
  mutation BackOfficeRefreshPerformanceSource($id: ID!) {
    refreshPerformanceSource(id: $id) {
      ...BackOfficePerformanceSource
    }
  }
  ${LINK_FIELDS}
`;

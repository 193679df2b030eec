import { gql, type TypedDocumentNode } from "@apollo/client";

export interface Venue {
  id: string;
  name: string;
  address: string | null;
  city: string | null;
  archived: boolean;
}
export interface EventRow {
  id: string;
  name: string;
  archived: boolean;
  venue: { id: string } | null;
}
export type ControlMode = "single" | "inOut" | "multi";
export interface PerformanceRow {
  id: string;
  dated: boolean;
  startsAt: string | null;
  endsAt: string | null;
  label: string | null;
  importEndsAt: string | null;
  controlEnabled: boolean;
  controlMode: ControlMode;
  maxPasses: number | null;
  maxPassesPerDay: number | null;
  archived: boolean;
}

export const VENUES: TypedDocumentNode<{ venues: Venue[] }, { institutionId: string }> = gql`
  query BackOfficeVenues($institutionId: ID!) {
    venues(institutionId: $institutionId, includeArchived: true) {
      id
      name
      address
      city
      archived
    }
  }
`;

export const EVENTS: TypedDocumentNode<{ events: EventRow[] }, { venueId: string }> = gql`
  query BackOfficeEvents($venueId: ID!) {
    events(venueId: $venueId, includeArchived: true) {
      id
      name
      archived
      venue {
        id
      }
    }
  }
`;

const PERFORMANCE_FIELDS = gql`
  fragment BackOfficePerformanceRow on Performance {
    id
    dated
    startsAt
    endsAt
    label
    importEndsAt
    controlEnabled
    controlMode
    maxPasses
    maxPassesPerDay
    archived
  }
`;

export const PERFORMANCES: TypedDocumentNode<{ performances: PerformanceRow[] }, { eventId: string }> = gql`
  query BackOfficePerformances($eventId: ID!) {
    performances(eventId: $eventId, includeArchived: true) {
      ...BackOfficePerformanceRow
    }
  }
  ${PERFORMANCE_FIELDS}
`;

export interface VenueInput {
  name: string;
  address?: string;
  city?: string;
}

export const CREATE_VENUE: TypedDocumentNode<
  { createVenue: Venue },
  { institutionId: string; input: VenueInput }
> = gql`
    mutation BackOfficeCreateVenue($institutionId: ID!, $input: VenueInput!) {
      createVenue(institutionId: $institutionId, input: $input) {
        id
        name
        address
        city
        archived
      }
    }
  `;

export const UPDATE_VENUE: TypedDocumentNode<{ updateVenue: Venue }, { id: string; input: VenueInput }> = gql`
  mutation BackOfficeUpdateVenue($id: ID!, $input: VenueInput!) {
    updateVenue(id: $id, input: $input) {
      id
      name
      address
      city
      archived
    }
  }
`;

export const CREATE_EVENT: TypedDocumentNode<
  { createEvent: EventRow },
  { input: { venueId: string; name: string } }
> = gql`
  mutation BackOfficeCreateEvent($input: EventInput!) {
    createEvent(input: $input) {
      id
      name
      archived
      venue {
        id
      }
    }
  }
`;

export const UPDATE_EVENT: TypedDocumentNode<
  { updateEvent: EventRow },
  { id: string; input: { venueId: string; name: string } }
> = gql`
  mutation BackOfficeUpdateEvent($id: ID!, $input: EventInput!) {
    updateEvent(id: $id, input: $input) {
      id
      name
      archived
      venue {
        id
      }
    }
  }
`;

export interface PerformanceInput {
  dated: boolean;
  startsAt: string;
  endsAt: string;
  label?: string;
  importEndsAt?: string;
  controlEnabled: boolean;
  controlMode: ControlMode;
  maxPasses?: number;
  maxPassesPerDay?: number;
}

export const CREATE_PERFORMANCE: TypedDocumentNode<
  { createPerformance: PerformanceRow },
  { input: PerformanceInput & { eventId: string } }
> = gql`
  mutation BackOfficeCreatePerformance($input: CreatePerformanceInput!) {
    createPerformance(input: $input) {
      ...BackOfficePerformanceRow
    }
  }
  ${PERFORMANCE_FIELDS}
`;

export const UPDATE_PERFORMANCE: TypedDocumentNode<
  { updatePerformance: PerformanceRow },
  { id: string; input: PerformanceInput }
> = gql`
  mutation BackOfficeUpdatePerformance($id: ID!, $input: PerformanceFieldsInput!) {
    updatePerformance(id: $id, input: $input) {
      ...BackOfficePerformanceRow
    }
  }
  ${PERFORMANCE_FIELDS}
`;

/** archiveVenue / unarchivePerformance and the like: one document per (kind, direction). */
function archiveMutation(kind: "Venue" | "Event" | "Performance", direction: "archive" | "unarchive") {
  const field = `${direction}${kind}`;
  return gql(`
    mutation BackOffice${field[0].toUpperCase()}${field.slice(1)}($id: ID!) {
      ${field}(id: $id) {
        id
        archived
      }
    }
  `);
}

export const ARCHIVE = {
  venue: { archive: archiveMutation("Venue", "archive"), unarchive: archiveMutation("Venue", "unarchive") },
  event: { archive: archiveMutation("Event", "archive"), unarchive: archiveMutation("Event", "unarchive") },
  performance: {
    archive: archiveMutation("Performance", "archive"),
    unarchive: archiveMutation("Performance", "unarchive"),
  },
} as const;

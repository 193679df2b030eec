import { gql, type TypedDocumentNode } from "@apollo/client";
import type { ServerTicketChange } from "../local/types";

export interface MeData {
  me: null | {
    login: { id: string; username: string; displayName: string | null; isRoot: boolean };
    lastInstitution: { id: string; name: string } | null;
  };
}

export const ME: TypedDocumentNode<MeData, Record<string, never>> = gql`
  query ScannerMe {
    me {
      login {
        id
        username
        displayName
        isRoot
      }
      lastInstitution {
        id
        name
      }
    }
  }
`;

export const LOGIN: TypedDocumentNode<{ login: { token: string } }, { username: string; password: string }> =
  gql`
  mutation ScannerLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
    }
  }
`;

export const LOGOUT: TypedDocumentNode<{ logout: boolean }, Record<string, never>> = gql`
  mutation ScannerLogout {
    logout
  }
`;

export interface ScannerInstitution {
  id: string;
  name: string;
}

export const SCANNER_INSTITUTIONS: TypedDocumentNode<
  { scannerInstitutions: ScannerInstitution[] },
  Record<string, never>
> = gql`
  query ScannerInstitutions {
    scannerInstitutions {
      id
      name
    }
  }
`;

/** A performance the back office ticked for control, as the gateway lists it (dates as ISO strings). */
export interface AvailablePerformance {
  id: string;
  institutionId: string;
  eventName: string;
  venueName: string;
  dated: boolean;
  startsAt: string | null;
  endsAt: string | null;
  label: string | null;
  controlMode: string;
  ticketCount: number;
}

export const SCANNER_PERFORMANCES: TypedDocumentNode<
  { scannerPerformances: AvailablePerformance[] },
  { institutionId: string }
> = gql`
  query ScannerPerformances($institutionId: ID!) {
    scannerPerformances(institutionId: $institutionId) {
      id
      institutionId
      eventName
      venueName
      dated
      startsAt
      endsAt
      label
      controlMode
      ticketCount
    }
  }
`;

export const REGISTER_DEVICE: TypedDocumentNode<
  { registerDevice: { id: string } },
  { input: { deviceKey: string; name: string; institutionId: string } }
> = gql`
  mutation ScannerRegisterDevice($input: RegisterDeviceInput!) {
    registerDevice(input: $input) {
      id
    }
  }
`;

export interface ClockCheck {
  serverTime: string;
  skewMs: number;
  skewed: boolean;
  message: string | null;
}

export const CHECK_DEVICE_CLOCK: TypedDocumentNode<
  { checkDeviceClock: ClockCheck },
  { deviceKey: string; deviceTime: string }
> = gql`
  mutation ScannerCheckDeviceClock($deviceKey: String!, $deviceTime: DateTimeISO!) {
    checkDeviceClock(deviceKey: $deviceKey, deviceTime: $deviceTime) {
      serverTime
      skewMs
      skewed
      message
    }
  }
`;

export const TICKET_CHANGES: TypedDocumentNode<
  { ticketChanges: ServerTicketChange },
  { performanceIds: string[] }
> = gql`
  subscription ScannerTicketChanges($performanceIds: [ID!]!) {
    ticketChanges(performanceIds: $performanceIds) {
      performanceId
      barcode
      state
      category
      holderName
      passes
      inside
      revision
      passesByDay
    }
  }
`;

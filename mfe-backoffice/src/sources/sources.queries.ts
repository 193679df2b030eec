import { gql, type TypedDocumentNode } from "@apollo/client";

export interface ConfigField {
  key: string;
  label: string;
  labelEn: string | null;
  type: "text" | "secret" | "url" | "integer" | "boolean" | "select";
  required: boolean;
  help: string | null;
  defaultValue: string | null;
  min: number | null;
  max: number | null;
  options: { value: string; label: string }[] | null;
}

export interface SourceType {
  id: string;
  label: string;
  labelEn: string | null;
  description: string | null;
  kind: "file" | "online";
  catalog: boolean;
  sourceConfig: ConfigField[];
  performanceParams: ConfigField[];
}

export interface Source {
  id: string;
  name: string;
  connectorId: string;
  typeLabel: string;
  kind: string | null;
  syncSlowEveryMinutes: number | null;
  syncFastEveryMinutes: number | null;
  fastWindowHours: number | null;
  configProblems: string[];
  config: Record<string, unknown> | null;
  secretsSet: string[];
}

const FIELD = gql`
  fragment BackOfficeConfigField on ConfigFieldSchema {
    key
    label
    labelEn
    type
    required
    help
    defaultValue
    min
    max
    options {
      value
      label
    }
  }
`;

export const SOURCE_TYPES: TypedDocumentNode<{ sourceTypes: SourceType[] }, Record<string, never>> = gql`
  query BackOfficeSourceTypes {
    sourceTypes {
      id
      label
      labelEn
      description
      kind
      catalog
      sourceConfig {
        ...BackOfficeConfigField
      }
      performanceParams {
        ...BackOfficeConfigField
      }
    }
  }
  ${FIELD}
`;

const SOURCE_FIELDS = gql`
  fragment BackOfficeSource on Source {
    id
    name
    connectorId
    typeLabel
    kind
    syncSlowEveryMinutes
    syncFastEveryMinutes
    fastWindowHours
    configProblems
    config
    secretsSet
  }
`;

export const SOURCES: TypedDocumentNode<{ sources: Source[] }, { institutionId: string }> = gql`
  query BackOfficeSources($institutionId: ID!) {
    sources(institutionId: $institutionId) {
      ...BackOfficeSource
    }
  }
  ${SOURCE_FIELDS}
`;

export interface SourceFieldsInput {
  name: string;
  config: Record<string, string | boolean>;
  syncSlowEveryMinutes?: number;
  syncFastEveryMinutes?: number;
  fastWindowHours?: number;
}

export const CREATE_SOURCE: TypedDocumentNode<
  { createSource: Source },
  { input: SourceFieldsInput & { institutionId: string; type: string } }
> = gql`
  mutation BackOfficeCreateSource($input: CreateSourceInput!) {
    createSource(input: $input) {
      ...BackOfficeSource
    }
  }
  ${SOURCE_FIELDS}
`;

export const UPDATE_SOURCE: TypedDocumentNode<
  { updateSource: Source },
  { id: string; input: SourceFieldsInput }
> = gql`
    mutation BackOfficeUpdateSource($id: ID!, $input: SourceFieldsInput!) {
      updateSource(id: $id, input: $input) {
        ...BackOfficeSource
      }
    }
    ${SOURCE_FIELDS}
  `;

export const DELETE_SOURCE: TypedDocumentNode<{ deleteSource: boolean }, { id: string }> = gql`
  mutation BackOfficeDeleteSource($id: ID!) {
    deleteSource(id: $id)
  }
`;

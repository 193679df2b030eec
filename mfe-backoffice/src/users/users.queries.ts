import { gql, type TypedDocumentNode } from "@apollo/client";

export interface Flags {
  admin: boolean;
  backoffice: boolean;
  scanner: boolean;
}

export interface Member extends Flags {
  id: string;
  isMaster: boolean;
  login: { id: string; username: string; displayName: string | null; disabled: boolean };
}

export const MEMBERS: TypedDocumentNode<
  {
    institutionMembers: Member[];
    addableLogins: { id: string; username: string; displayName: string | null }[];
  },
  { institutionId: string }
> = gql`
  query BackOfficeMembers($institutionId: ID!) {
    institutionMembers(institutionId: $institutionId) {
      id
      admin
      backoffice
      scanner
      isMaster
      login {
        id
        username
        displayName
        disabled
      }
    }
    addableLogins(institutionId: $institutionId) {
      id
      username
      displayName
    }
  }
`;

type MemberVars = { institutionId: string; loginId: string; flags: Flags };

export const UPDATE_MEMBERSHIP: TypedDocumentNode<{ updateMembership: Member }, MemberVars> = gql`
  mutation BackOfficeUpdateMembership($institutionId: ID!, $loginId: ID!, $flags: MembershipFlagsInput!) {
    updateMembership(institutionId: $institutionId, loginId: $loginId, flags: $flags) {
      id
      admin
      backoffice
      scanner
    }
  }
`;

export const ADD_MEMBER: TypedDocumentNode<{ addMember: { id: string } }, MemberVars> = gql`
  mutation BackOfficeAddMember($institutionId: ID!, $loginId: ID!, $flags: MembershipFlagsInput!) {
    addMember(institutionId: $institutionId, loginId: $loginId, flags: $flags) {
      id
    }
  }
`;

export const REMOVE_MEMBER: TypedDocumentNode<
  { removeMember: boolean },
  { institutionId: string; loginId: string }
> = gql`
    mutation BackOfficeRemoveMember($institutionId: ID!, $loginId: ID!) {
      removeMember(institutionId: $institutionId, loginId: $loginId)
    }
  `;

export const CREATE_LOGIN: TypedDocumentNode<
  { createLogin: { id: string } },
  {
    input: {
      username: string;
      password: string;
      displayName?: string;
      institutionId: string;
      flags: Flags;
    };
  }
> = gql`
  mutation BackOfficeCreateLogin($input: CreateLoginInput!) {
    createLogin(input: $input) {
      id
    }
  }
`;

export const SET_PASSWORD: TypedDocumentNode<
  { setLoginPassword: { id: string } },
  { loginId: string; password: string }
> = gql`
    mutation BackOfficeSetLoginPassword($loginId: ID!, $password: String!) {
      setLoginPassword(loginId: $loginId, password: $password) {
        id
      }
    }
  `;

export const SET_DISABLED: TypedDocumentNode<
  { setLoginDisabled: { id: string; disabled: boolean } },
  { loginId: string; disabled: boolean }
> = gql`
  mutation BackOfficeSetLoginDisabled($loginId: ID!, $disabled: Boolean!) {
    setLoginDisabled(loginId: $loginId, disabled: $disabled) {
      id
      disabled
    }
  }
`;

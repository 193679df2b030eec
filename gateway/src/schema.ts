import { createPubSub } from "@graphql-yoga/subscription";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import { accessResolvers } from "./access";
import { authResolvers } from "./auth";
import { billingResolvers } from "./billing";
import { catalogResolvers } from "./catalog";
import type { ClassType } from "./common/class-type";
import { institutionResolvers } from "./institutions";
import { liveResolvers } from "./live";
import { reportResolvers } from "./reports";
import { sourceResolvers } from "./sources";

export const pubSub = createPubSub();

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  const resolvers = [
    ...authResolvers,
    ...institutionResolvers,
    ...catalogResolvers,
    ...accessResolvers,
    ...billingResolvers,
    ...liveResolvers,
    ...reportResolvers,
    ...sourceResolvers,
  ];
  return buildSchema({
    resolvers: resolvers as unknown as NonEmptyArray<ClassType>,
    pubSub,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
}

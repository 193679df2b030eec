import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";

/** A source's fields as the back office sends them; checked in SourceService. */
@InputType()
export class SourceFieldsInput {
  @Field()
  name!: string;

  @Field(() => GraphQLJSONObject, {
    description:
      "Les valeurs des champs du type de source. Un secret laissé vide garde sa valeur enregistrée.",
  })
  config!: Record<string, unknown>;

  @Field(() => Int, {
    nullable: true,
    description: "Sources en ligne : minutes entre deux synchronisations (temps long).",
  })
  syncSlowEveryMinutes?: number;

  @Field(() => Int, {
    nullable: true,
    description: "Sources en ligne : minutes entre deux synchronisations (temps court).",
  })
  syncFastEveryMinutes?: number;

  @Field(() => Int, {
    nullable: true,
    description: "Sources en ligne : heures avant la représentation où le temps court commence.",
  })
  fastWindowHours?: number;
}

@InputType()
export class CreateSourceInput extends SourceFieldsInput {
  @Field(() => ID)
  institutionId!: string;

  @Field({ description: "L'identifiant du type de source (voir sourceTypes)." })
  type!: string;
}

@InputType()
export class PerformanceSourceInput {
  @Field(() => GraphQLJSONObject, { description: "Les paramètres de la représentation chez la source." })
  params!: Record<string, unknown>;
}

@InputType()
export class CatalogSelectionInput {
  @Field(() => ID)
  sourceId!: string;

  @Field(() => [String], {
    description: "Les identifiants des dates à créer, tels que le catalogue les donne.",
  })
  dateIds!: string[];
}

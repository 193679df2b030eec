import type { ConfigField, Connector } from "@billetix/connector-sdk";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType()
export class ConfigFieldOption {
  @Field() value!: string;
  @Field() label!: string;
}

/** One field of a connector's configuration form. */
@ObjectType({ description: "Un champ du formulaire de paramétrage d'une source." })
export class ConfigFieldSchema {
  @Field() key!: string;
  @Field({ description: "Libellé en français." }) label!: string;
  @Field({ nullable: true }) labelEn?: string;
  @Field({ description: "text, secret, url, integer, boolean ou select. Un secret n'est jamais renvoyé." })
  type!: string;
  @Field() required!: boolean;
  @Field({ nullable: true }) help?: string;
  @Field({ nullable: true, description: "La valeur par défaut, en texte." }) defaultValue?: string;
  @Field(() => Int, { nullable: true }) min?: number;
  @Field(() => Int, { nullable: true }) max?: number;
  @Field(() => [ConfigFieldOption], { nullable: true }) options?: ConfigFieldOption[];

  static of(field: ConfigField): ConfigFieldSchema {
    return Object.assign(new ConfigFieldSchema(), {
      ...field,
      required: Boolean(field.required),
      defaultValue: field.default === undefined ? undefined : String(field.default),
    });
  }
}

/** An installed source type: what the back office offers when adding a source. */
@ObjectType({ description: "Un type de source installé (un connecteur)." })
export class SourceType {
  @Field() id!: string;
  @Field() label!: string;
  @Field({ nullable: true }) labelEn?: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: "file : fichiers importés ; online : service web synchronisé automatiquement." })
  kind!: string;
  @Field({ description: "La source peut annuler ou dupliquer des billets." }) cancellations!: boolean;
  @Field({ description: "Propose l'ajout automatique de représentations." }) catalog!: boolean;
  @Field() packageName!: string;
  @Field() version!: string;
  @Field(() => [ConfigFieldSchema]) sourceConfig!: ConfigFieldSchema[];
  @Field(() => [ConfigFieldSchema]) performanceParams!: ConfigFieldSchema[];

  static of(connector: Connector, packageName: string, version: string): SourceType {
    return Object.assign(new SourceType(), {
      id: connector.id,
      label: connector.label,
      labelEn: connector.labelEn,
      description: connector.description,
      kind: connector.kind,
      cancellations: Boolean(connector.cancellations),
      catalog: typeof connector.listCatalog === "function",
      packageName,
      version,
      sourceConfig: connector.sourceConfig.map(ConfigFieldSchema.of),
      performanceParams: connector.performanceParams.map(ConfigFieldSchema.of),
    });
  }
}

/** A connector package found but not loaded, and why: for the operator (root). */
@ObjectType({ description: "Un connecteur installé mais refusé au démarrage, et pourquoi." })
export class RefusedConnector {
  @Field() packageName!: string;
  @Field({ description: "La raison, en anglais (pour le développeur du connecteur)." }) reason!: string;
}

import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Option, Schema, SchemaAST } from "effect"
import { Conflict, NotFound, ValidationError } from "../errors.js"
import { everyIssue, NoQuery } from "./every-issue.js"
import { Authentication } from "./middleware/authentication.js"
import { PageOf, PageParams } from "./pagination.js"

export const IdPath = Schema.Struct({ id: Schema.String })

const fieldNames = (schema: Schema.Schema.Any) =>
  SchemaAST.getPropertySignatures(Schema.encodedSchema(schema).ast).map((field) => String(field.name))

const ignored = Schema.optionalToOptional(Schema.Unknown, Schema.Never, {
  decode: () => Option.none(),
  encode: () => Option.none()
}).annotations({ title: "read-only", description: "the record's own: taken and ignored" })

const atVersion = Schema.optional(
  Schema.Int.pipe(Schema.positive()).annotations({
    description: "the version this change was made on: refused (409) once another change has replaced it"
  })
)

/**
 * A PATCH takes the record's read-only fields (its id, restaurant, times) and ignores them, so that
 * a record read, changed and sent back whole is taken; any other field it does not define is
 * refused. A versioned record's `version`, when given, is the one the change was made on: a change
 * that came between (a platform's, another client's) is never overwritten unseen.
 */
const patchOf = <P, PI>(entity: Schema.Schema.Any, patch: Schema.Schema<P, PI>) => {
  const writable = new Set(fieldNames(patch))
  const readOnly = fieldNames(entity).filter((name) => !writable.has(name))
  return Schema.extend(
    patch,
    Schema.Struct(Object.fromEntries(readOnly.map((name) => [name, name === "version" ? atVersion : ignored])))
  )
}

interface Model<E, EI, C, CI, P, PI> {
  readonly Entity: Schema.Schema<E, EI>
  readonly Create: Schema.Schema<C, CI>
  readonly Patch: Schema.Schema<P, PI>
}

/** list / get / create / update of one resource under `prefix`, for any valid key (issue 17). */
export const resourceGroup = <const Name extends string, E, EI, C, CI, P, PI>(
  name: Name,
  prefix: `/${string}`,
  model: Model<E, EI, C, CI, P, PI>
) =>
  HttpApiGroup.make(name)
    .add(
      HttpApiEndpoint.get("list", "/")
        .setUrlParams(everyIssue(Schema.Struct(PageParams)))
        .addSuccess(PageOf(model.Entity))
    )
    .add(
      HttpApiEndpoint.get("get", "/:id").setPath(IdPath).setUrlParams(NoQuery).addSuccess(model.Entity).addError(
        NotFound
      )
    )
    .add(
      HttpApiEndpoint.post("create", "/")
        .setPayload(everyIssue(model.Create))
        .addSuccess(model.Entity, { status: 201 })
        .addError(ValidationError)
    )
    .add(
      HttpApiEndpoint.patch("update", "/:id")
        .setPath(IdPath)
        .setPayload(everyIssue(patchOf(model.Entity, model.Patch)))
        .addSuccess(model.Entity)
        .addError(NotFound)
        .addError(ValidationError)
        .addError(Conflict)
    )
    .prefix(prefix)
    .middleware(Authentication)

/** Resources that may also be deleted (the floor plan, services, offers, menu, customers). */
export const deletableResourceGroup = <const Name extends string, E, EI, C, CI, P, PI>(
  name: Name,
  prefix: `/${string}`,
  model: Model<E, EI, C, CI, P, PI>
) =>
  resourceGroup(name, prefix, model).add(
    HttpApiEndpoint.del("remove", "/:id").setPath(IdPath).addSuccess(Schema.Void, { status: 204 }).addError(NotFound)
      .prefix(prefix)
  )

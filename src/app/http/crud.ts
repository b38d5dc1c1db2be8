import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { NotFound, ValidationError } from "../errors.js"
import { everyIssue } from "./every-issue.js"
import { Authentication } from "./middleware/authentication.js"
import { PageOf, PageParams } from "./pagination.js"

export const IdPath = Schema.Struct({ id: Schema.String })

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
    .add(HttpApiEndpoint.get("get", "/:id").setPath(IdPath).addSuccess(model.Entity).addError(NotFound))
    .add(
      HttpApiEndpoint.post("create", "/")
        .setPayload(everyIssue(model.Create))
        .addSuccess(model.Entity, { status: 201 })
        .addError(ValidationError)
    )
    .add(
      HttpApiEndpoint.patch("update", "/:id")
        .setPath(IdPath)
        .setPayload(everyIssue(model.Patch))
        .addSuccess(model.Entity)
        .addError(NotFound)
        .addError(ValidationError)
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

import { NodeHttpClient } from "@effect/platform-node"
import { Layer } from "effect"
import { randomBytes } from "node:crypto"
import { CredentialCipherAesGcm } from "../../src/adapters/crypto/aes-gcm-cipher.js"
import { ConnectorRegistryLive, type ConnectorRegistryOptions } from "../../src/adapters/platforms/registry.js"
import { CurrentCallerSystem } from "../../src/app/caller.js"
import { AppServicesLive, RepositoriesSql } from "../../src/app/layers.js"
import { SyncSettingsTest } from "../../src/app/workers/settings.js"
import { TestDatabaseLive } from "./database.js"
import { TestHttpLive } from "./service.js"

/** A key of its own for each test service, so a test can never read another's secrets. */
export const TestCipherLive = Layer.suspend(() => CredentialCipherAesGcm(randomBytes(32)))

/** The simulators' hosts, as PLATFORM_URL_ALLOWLIST names them for tests (issue 18). */
export const testEgress = { allowedHosts: ["127.0.0.1", "localhost"] }

export const TestConnectorsLive = (options: ConnectorRegistryOptions = {}) =>
  ConnectorRegistryLive({ egress: testEgress, ...options }).pipe(Layer.provide(NodeHttpClient.layerUndici))

/**
 * The service's application layer on a fresh database (no background workers). Tests that call
 * the services directly act as the service itself (`CurrentCallerSystem`); requests over HTTP get
 * their caller from their key, as in production.
 */
export const makeTestApp = (options: ConnectorRegistryOptions = {}) =>
  AppServicesLive.pipe(
    Layer.provideMerge(CurrentCallerSystem),
    Layer.provideMerge(Layer.mergeAll(TestConnectorsLive(options), SyncSettingsTest)),
    Layer.provideMerge(RepositoriesSql),
    Layer.provideMerge(TestCipherLive),
    Layer.provideMerge(TestDatabaseLive)
  )

export const TestAppLive = makeTestApp()

/** The HTTP API over real loopback HTTP on a fresh database. */
export const TestServiceLive = TestHttpLive.pipe(Layer.provideMerge(TestAppLive))

import { ServeError } from "@effect/platform/HttpServerError"
import { assert, describe, it } from "@effect/vitest"
import { listenError } from "../../../src/app/http/listen-error.js"

const failedWith = (code: string | undefined, message: string) =>
  new ServeError({ cause: Object.assign(new Error(message), code === undefined ? {} : { code }) })

describe("a server that cannot listen", () => {
  it("says where, why and which setting to change, in the operator's terms", () => {
    const said = (code: string, host = "127.0.0.1") => listenError(failedWith(code, `listen ${code}`), host, 80).message
    assert.strictEqual(
      said("EADDRINUSE"),
      "cannot listen on 127.0.0.1:80: another process is listening there; stop it or set PORT to a free port"
    )
    assert.strictEqual(
      said("EACCES"),
      "cannot listen on 127.0.0.1:80: not permitted (ports below 1024 need privileges); set PORT to 1024 or above"
    )
    assert.strictEqual(
      said("EADDRNOTAVAIL", "10.1.2.3"),
      "cannot listen on 10.1.2.3:80: this machine has no such address; set HOST to one of its own"
    )
    assert.strictEqual(
      said("ENOTFOUND", "api.invalid"),
      "cannot listen on api.invalid:80: no such host name; set HOST to an address of this machine"
    )
  })

  it("gives the system's own words for any other failure", () => {
    assert.strictEqual(
      listenError(failedWith("EMFILE", "listen EMFILE: too many open files"), "127.0.0.1", 3000).message,
      "cannot listen on 127.0.0.1:3000: listen EMFILE: too many open files"
    )
    assert.strictEqual(
      listenError(failedWith(undefined, ""), "::1", 3000).message,
      "cannot listen on [::1]:3000: Error"
    )
  })
})

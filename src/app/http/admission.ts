/**
 * At most `limit` tasks at a time, the others started in arrival order as running ones finish.
 * A task calls its `done` once, whatever happens to it (later calls are ignored).
 *
 * Why the resource writes go through one (issue 22): past the database pool's size, a write only
 * waits for a connection, and while it waits everything it has built (its decoded payload, its
 * fiber, its statements) outlives the young generation's scavenges and is promoted, to be marked
 * and compacted later on the thread that answers requests. Waiting here, before any of that is
 * built, a write holds only its body.
 */
export const makeAdmission = (limit: number) => {
  let running = 0
  let draining = false
  const waiting: Array<(done: () => void) => void> = []
  const start = (task: (done: () => void) => void) => {
    running++
    let finished = false
    task(() => {
      if (finished) return
      finished = true
      running--
      drain()
    })
  }
  // A loop rather than a call from each `done`: tasks that finish at once must not nest.
  const drain = () => {
    if (draining) return
    draining = true
    while (running < limit && waiting.length > 0) start(waiting.shift()!)
    draining = false
  }
  return {
    run: (task: (done: () => void) => void) => {
      waiting.push(task)
      drain()
    },
    /** Tasks started and not done, and tasks not started yet. */
    state: () => ({ running, waiting: waiting.length })
  }
}

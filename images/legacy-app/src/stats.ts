// The legacy app's request statistics: the single owner of the counters. Only the traffic server
// records into it (one call per response it finished); the admin server only reads.
//
// The custom format is what the seed's adapter reads, one `name value` pair per line, names at the start
// of the line (the seed's awk matches /^requests_total/, /^response_time/, /^errors_total/, so no other
// line may start with those prefixes):
//   requests_total 1241       responses sent since start (any status)
//   response_time 0.25        mean response time in seconds since start (0 before the first request)
//   errors_total 3            responses with status >= 500 (the app's own failures; 4xx is the client's)

export interface StatsSnapshot {
  requestsTotal: number;
  errorsTotal: number;
  /** Sum of response times in seconds, so a scraper can compute rates too. */
  responseSecondsSum: number;
}

export class RequestStats {
  #requests = 0;
  #errors = 0;
  #secondsSum = 0;

  /** Records one finished response. `seconds` is from request start to the last byte written. */
  record(status: number, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError(`seconds: want a finite value >= 0, got ${seconds}`);
    this.#requests++;
    if (status >= 500) this.#errors++;
    this.#secondsSum += seconds;
  }

  snapshot(): StatsSnapshot {
    return { requestsTotal: this.#requests, errorsTotal: this.#errors, responseSecondsSum: this.#secondsSum };
  }
}

export function formatCustomStats(s: StatsSnapshot): string {
  const mean = s.requestsTotal === 0 ? 0 : s.responseSecondsSum / s.requestsTotal;
  return `requests_total ${s.requestsTotal}\nresponse_time ${decimal(mean)}\nerrors_total ${s.errorsTotal}\n`;
}

/** Plain decimal with up to 6 places, never exponent notation (awk and older parsers read it as is). */
function decimal(x: number): string {
  const fixed = x.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '' || fixed === '-0' ? '0' : fixed;
}

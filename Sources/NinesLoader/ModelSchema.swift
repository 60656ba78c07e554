/// The JSON Schema (draft-07) of the model format, version 1, for editors with a YAML
/// language server (`# yaml-language-server: $schema=nines.schema.json`).
///
/// `nines schema` prints it; `models/nines.schema.json` is a copy that a test keeps equal to
/// it, and another test keeps its keys equal to ``ModelKeys``.
public enum ModelSchema {
    public static let json = #"""
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Nines model, format version 1",
  "description": "One architecture: components, dependencies, failure domains, costs. Reference: README.md of the Nines project.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "nines",
    "name",
    "entry",
    "components"
  ],
  "properties": {
    "nines": {
      "description": "Format version.",
      "const": 1
    },
    "name": {
      "description": "A title for reports.",
      "type": "string"
    },
    "description": {
      "description": "Free text.",
      "type": "string"
    },
    "entry": {
      "description": "The component whose state is the service's state.",
      "type": "string"
    },
    "domains": {
      "description": "Shared failure domains: zones, regions, racks, power feeds.",
      "type": "object",
      "additionalProperties": {
        "$ref": "#/definitions/domain"
      }
    },
    "causes": {
      "description": "Shared causes that strike many replicas at once without being a place: a bad deploy, a configuration push, a control-plane outage. Names share one namespace with domains.",
      "type": "object",
      "additionalProperties": {
        "$ref": "#/definitions/cause"
      }
    },
    "journeys": {
      "description": "User journeys with their shares of requests: each journey's metrics are its entry's, and request_availability is their traffic-weighted sum.",
      "type": "object",
      "minProperties": 1,
      "additionalProperties": {
        "$ref": "#/definitions/journey"
      }
    },
    "components": {
      "description": "The components, by name.",
      "type": "object",
      "minProperties": 1,
      "additionalProperties": {
        "$ref": "#/definitions/component"
      }
    },
    "business": {
      "$ref": "#/definitions/business"
    }
  },
  "definitions": {
    "durationRange": {
      "description": "A duration known only within a range: {low, high} (uniform), with distribution: loguniform, or distribution: triangular and its mode. Analysed at its nominal value (midpoint, geometric mean or median); analyze --uncertainty N propagates it.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "low",
        "high"
      ],
      "properties": {
        "low": {
          "$ref": "#/definitions/duration"
        },
        "high": {
          "$ref": "#/definitions/duration"
        },
        "distribution": {
          "enum": [
            "uniform",
            "loguniform",
            "triangular"
          ]
        },
        "mode": {
          "$ref": "#/definitions/duration"
        }
      }
    },
    "fractionRange": {
      "description": "A fraction known only within a range: {low, high} (uniform), with distribution: loguniform, or distribution: triangular and its mode.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "low",
        "high"
      ],
      "properties": {
        "low": {
          "$ref": "#/definitions/fraction"
        },
        "high": {
          "$ref": "#/definitions/fraction"
        },
        "distribution": {
          "enum": [
            "uniform",
            "loguniform",
            "triangular"
          ]
        },
        "mode": {
          "$ref": "#/definitions/fraction"
        }
      }
    },
    "duration": {
      "description": "A duration: a number and a unit (ms, s, m or min, h, d, w, mo = 730 h, y = 8760 h), such as 90s, 2.5h, 1y; a bare number is hours.",
      "anyOf": [
        {
          "type": "number",
          "exclusiveMinimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*(?:ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wk|weeks?|mo|months?|y|yrs?|years?)\\s*)+$|^\\s*(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*$"
        }
      ]
    },
    "durationOrZero": {
      "description": "A duration that may be zero (failover steps).",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*(?:ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wk|weeks?|mo|months?|y|yrs?|years?)\\s*)+$|^\\s*(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*$"
        }
      ]
    },
    "fraction": {
      "description": "A fraction in [0, 1]: 0.99 or 99%.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0,
          "maximum": 1
        },
        {
          "type": "string",
          "pattern": "^\\s*(?:100(?:\\.0*)?|[0-9]{1,2}(?:\\.[0-9]*)?|\\.[0-9]+)\\s*%\\s*$"
        }
      ]
    },
    "money": {
      "description": "An amount of money, such as 400 or 1,240.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*\\$?(?:[0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*$"
        }
      ]
    },
    "moneyRate": {
      "description": "Money per time, such as 5000/h, 20/s or 100/d.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*\\$?(?:[0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*(?:/\\s*(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)?\\s*(?:ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wk|weeks?|mo|months?|y|yrs?|years?))?\\s*$"
        }
      ]
    },
    "distribution": {
      "description": "A distribution of a duration, parameterised by its mean.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "distribution",
        "mean"
      ],
      "properties": {
        "distribution": {
          "enum": [
            "exponential",
            "weibull",
            "lognormal",
            "fixed"
          ]
        },
        "mean": {
          "$ref": "#/definitions/durationOrZero"
        },
        "shape": {
          "description": "Weibull shape k ≥ 0.05 (smaller shapes spread beyond double precision).",
          "type": "number",
          "minimum": 0.05
        },
        "sd": {
          "$ref": "#/definitions/duration",
          "description": "Log-normal: standard deviation of the duration."
        }
      },
      "allOf": [
        {
          "if": {
            "properties": {
              "distribution": {
                "const": "weibull"
              }
            }
          },
          "then": {
            "required": [
              "shape"
            ],
            "not": {
              "required": [
                "sd"
              ]
            }
          }
        },
        {
          "if": {
            "properties": {
              "distribution": {
                "const": "lognormal"
              }
            }
          },
          "then": {
            "required": [
              "sd"
            ],
            "not": {
              "required": [
                "shape"
              ]
            }
          }
        },
        {
          "if": {
            "properties": {
              "distribution": {
                "enum": [
                  "exponential",
                  "fixed"
                ]
              }
            }
          },
          "then": {
            "not": {
              "anyOf": [
                {
                  "required": [
                    "shape"
                  ]
                },
                {
                  "required": [
                    "sd"
                  ]
                }
              ]
            }
          }
        }
      ]
    },
    "law": {
      "anyOf": [
        {
          "$ref": "#/definitions/duration"
        },
        {
          "$ref": "#/definitions/distribution"
        }
      ]
    },
    "step": {
      "description": "A failover step: a duration (fixed in simulation, exponential in the Markov engine) or a distribution.",
      "anyOf": [
        {
          "$ref": "#/definitions/durationOrZero"
        },
        {
          "$ref": "#/definitions/distribution"
        }
      ]
    },
    "names": {
      "anyOf": [
        {
          "type": "string"
        },
        {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "string"
          }
        }
      ]
    },
    "domain": {
      "description": "A shared failure domain: {mtbf, mttr, within, transfer}.",
      "type": [
        "object",
        "null"
      ],
      "additionalProperties": false,
      "properties": {
        "description": {
          "type": "string"
        },
        "within": {
          "description": "The enclosing domain.",
          "type": "string"
        },
        "mtbf": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time between failures of one replica (exponential). A bare number is hours."
        },
        "afr": {
          "anyOf": [
            {
              "$ref": "#/definitions/fraction"
            },
            {
              "$ref": "#/definitions/fractionRange"
            }
          ],
          "description": "Annual failure rate: λ = −ln(1 − afr)/8760 h. Such as 2% or 0.02."
        },
        "failure": {
          "$ref": "#/definitions/law",
          "description": "Time to failure: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "mttr": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time to repair or replace (exponential). A bare number is hours."
        },
        "repair": {
          "$ref": "#/definitions/law",
          "description": "Time to repair: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "transfer": {
          "$ref": "#/definitions/moneyPerData",
          "description": "Price of data leaving this domain (replication traffic), such as 0.01/GB."
        }
      }
    },
    "sla": {
      "description": "The availability promised: {target: 99.95%, period: month, bill, credits: [{below, credit}]}.",
      "anyOf": [
        {
          "$ref": "#/definitions/fraction"
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "target"
          ],
          "properties": {
            "target": {
              "$ref": "#/definitions/fraction"
            },
            "period": {
              "anyOf": [
                {
                  "enum": [
                    "day",
                    "week",
                    "month",
                    "quarter",
                    "year"
                  ]
                },
                {
                  "$ref": "#/definitions/duration"
                }
              ]
            },
            "bill": {
              "$ref": "#/definitions/money",
              "description": "What customers pay per month, on which credits are paid."
            },
            "credits": {
              "description": "Service credits: a period below `below` earns `credit` of its bill (the largest tier earned applies).",
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "below",
                  "credit"
                ],
                "properties": {
                  "below": {
                    "$ref": "#/definitions/fraction"
                  },
                  "credit": {
                    "$ref": "#/definitions/fraction"
                  }
                }
              }
            }
          }
        }
      ]
    },
    "replication": {
      "description": "Writes lost: sync loses none; async loses its lag at each unplanned failover of a standby component or switch of a failover group, and lag × k/s when k of s serving replicas of an active component stop at once; traffic prices the copies between domains.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "mode"
      ],
      "properties": {
        "mode": {
          "enum": [
            "sync",
            "async"
          ]
        },
        "lag": {
          "$ref": "#/definitions/durationOrZero"
        },
        "traffic": {
          "$ref": "#/definitions/dataRate",
          "description": "Writes replicated to each other replica per month, priced by the domains' transfer prices where a copy leaves a domain."
        }
      }
    },
    "journey": {
      "description": "A user journey: the component whose state is the journey's, its share of requests, and optionally its own downtime price and SLA.",
      "type": "object",
      "required": [
        "entry",
        "traffic"
      ],
      "additionalProperties": false,
      "properties": {
        "description": {
          "type": "string"
        },
        "entry": {
          "description": "The component whose state is the journey's.",
          "type": "string"
        },
        "traffic": {
          "$ref": "#/definitions/fraction",
          "description": "Its share of requests, such as 70%; the shares of all journeys sum to 100%."
        },
        "downtime_cost": {
          "$ref": "#/definitions/moneyRate",
          "description": "Money per time of this journey's outage, in place of traffic × business.downtime_cost; a bare number is per hour."
        },
        "sla": {
          "$ref": "#/definitions/sla",
          "description": "The availability promised for this journey, as business.sla; its bill and credits are not used."
        }
      }
    },
    "cause": {
      "description": "A shared cause: {mtbf | afr | failure, mttr | repair, hits, description}; while it is active no replica of a component it hits is eligible.",
      "type": "object",
      "required": [
        "hits"
      ],
      "additionalProperties": false,
      "properties": {
        "description": {
          "type": "string"
        },
        "hits": {
          "description": "The component, or the components, it takes down (every replica of each).",
          "anyOf": [
            {
              "type": "string"
            },
            {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "string"
              }
            }
          ]
        },
        "mtbf": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time between failures of one replica (exponential). A bare number is hours."
        },
        "afr": {
          "anyOf": [
            {
              "$ref": "#/definitions/fraction"
            },
            {
              "$ref": "#/definitions/fractionRange"
            }
          ],
          "description": "Annual failure rate: λ = −ln(1 − afr)/8760 h. Such as 2% or 0.02."
        },
        "failure": {
          "$ref": "#/definitions/law",
          "description": "Time to failure: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "mttr": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time to repair or replace (exponential). A bare number is hours."
        },
        "repair": {
          "$ref": "#/definitions/law",
          "description": "Time to repair: a mean (exponential) or {distribution, mean, shape | sd}."
        }
      }
    },
    "mode": {
      "description": "A failure mode: {name, mtbf | afr | failure, mttr | repair, loses_data}.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "name": {
          "type": "string"
        },
        "mtbf": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time between failures of one replica (exponential). A bare number is hours."
        },
        "afr": {
          "anyOf": [
            {
              "$ref": "#/definitions/fraction"
            },
            {
              "$ref": "#/definitions/fractionRange"
            }
          ],
          "description": "Annual failure rate: λ = −ln(1 − afr)/8760 h. Such as 2% or 0.02."
        },
        "failure": {
          "$ref": "#/definitions/law",
          "description": "Time to failure: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "mttr": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time to repair or replace (exponential). A bare number is hours."
        },
        "repair": {
          "$ref": "#/definitions/law",
          "description": "Time to repair: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "loses_data": {
          "type": "boolean",
          "description": "A failure in this mode destroys the replica's copy of the data; its repair re-creates it from a surviving replica."
        }
      }
    },
    "component": {
      "description": "A tier of identical replicas.",
      "type": [
        "object",
        "null"
      ],
      "additionalProperties": false,
      "properties": {
        "description": {
          "type": "string"
        },
        "replicas": {
          "description": "Identical replicas (default 1).",
          "type": "integer",
          "minimum": 1,
          "maximum": 1000000
        },
        "data_loss_cost": {
          "$ref": "#/definitions/moneyRate",
          "description": "Money per time of this component's lost writes, in place of business.data_loss_cost (0 for a cache); a bare number is per second."
        },
        "min_copies": {
          "description": "How many copies the data needs (default need; 1 for a standby component): it is lost when fewer than this many replicas hold a copy.",
          "type": "integer",
          "minimum": 1
        },
        "need": {
          "description": "Up only while at least this many replicas serve (default 1); majority is ⌊replicas/2⌋ + 1 and follows the replica count.",
          "anyOf": [
            {
              "type": "integer",
              "minimum": 1
            },
            {
              "const": "majority"
            }
          ]
        },
        "full": {
          "description": "Degraded while up with fewer than this many serving (default need); all is every replica and follows the replica count.",
          "anyOf": [
            {
              "type": "integer",
              "minimum": 1
            },
            {
              "const": "all"
            }
          ]
        },
        "mode": {
          "description": "active: every replica serves; standby: one primary serves.",
          "enum": [
            "active",
            "standby"
          ]
        },
        "standby": {
          "description": "How waiting replicas fail: hot (full rate), warm (× dormancy), cold (never).",
          "enum": [
            "hot",
            "warm",
            "cold"
          ]
        },
        "dormancy": {
          "$ref": "#/definitions/fraction",
          "description": "For a warm standby: failure-rate factor, strictly between 0 and 1."
        },
        "failover": {
          "description": "Unplanned failover: detect + switchover when automatic (probability coverage), manual otherwise.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "detect": {
              "$ref": "#/definitions/step"
            },
            "switchover": {
              "$ref": "#/definitions/step"
            },
            "coverage": {
              "anyOf": [
                {
                  "$ref": "#/definitions/fraction"
                },
                {
                  "$ref": "#/definitions/fractionRange"
                }
              ]
            },
            "manual": {
              "$ref": "#/definitions/step"
            }
          }
        },
        "mtbf": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time between failures of one replica (exponential). A bare number is hours."
        },
        "afr": {
          "anyOf": [
            {
              "$ref": "#/definitions/fraction"
            },
            {
              "$ref": "#/definitions/fractionRange"
            }
          ],
          "description": "Annual failure rate: λ = −ln(1 − afr)/8760 h. Such as 2% or 0.02."
        },
        "failure": {
          "$ref": "#/definitions/law",
          "description": "Time to failure: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "mttr": {
          "anyOf": [
            {
              "$ref": "#/definitions/duration"
            },
            {
              "$ref": "#/definitions/durationRange"
            }
          ],
          "description": "Mean time to repair or replace (exponential). A bare number is hours."
        },
        "repair": {
          "$ref": "#/definitions/law",
          "description": "Time to repair: a mean (exponential) or {distribution, mean, shape | sd}."
        },
        "modes": {
          "description": "Several failure modes instead of mtbf/mttr (at most 64).",
          "type": "array",
          "minItems": 1,
          "maxItems": 64,
          "items": {
            "$ref": "#/definitions/mode"
          }
        },
        "repair_crews": {
          "description": "At most this many replicas under repair at once (default unlimited).",
          "type": "integer",
          "minimum": 1,
          "maximum": 1000000
        },
        "placement": {
          "anyOf": [
            {
              "type": "string"
            },
            {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "string"
              }
            }
          ],
          "description": "Domains; replica i lives in placement[i mod len]."
        },
        "depends_on": {
          "description": "[a, b] (all needed), {any: [a, b]}, or {at_least: k, of: [a, b, c]}.",
          "anyOf": [
            {
              "anyOf": [
                {
                  "type": "string"
                },
                {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "type": "string"
                  }
                }
              ]
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "any"
              ],
              "properties": {
                "any": {
                  "anyOf": [
                    {
                      "type": "string"
                    },
                    {
                      "type": "array",
                      "minItems": 1,
                      "items": {
                        "type": "string"
                      }
                    }
                  ]
                },
                "failover": {
                  "description": "One alternative at a time, switched as DNS or a global load balancer does: detect + switchover when automatic (probability coverage), manual otherwise; no failback.",
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "detect": {
                      "$ref": "#/definitions/step"
                    },
                    "switchover": {
                      "$ref": "#/definitions/step"
                    },
                    "coverage": {
                      "$ref": "#/definitions/fraction"
                    },
                    "manual": {
                      "$ref": "#/definitions/step"
                    }
                  }
                },
                "replication": {
                  "$ref": "#/definitions/replication",
                  "description": "With failover: the writes each switch loses (async lag)."
                }
              }
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "at_least",
                "of"
              ],
              "properties": {
                "at_least": {
                  "type": "integer",
                  "minimum": 1
                },
                "of": {
                  "anyOf": [
                    {
                      "type": "string"
                    },
                    {
                      "type": "array",
                      "minItems": 1,
                      "items": {
                        "type": "string"
                      }
                    }
                  ]
                }
              }
            }
          ]
        },
        "cost": {
          "description": "Monthly price: {monthly: per replica, fixed: per component, standby: per waiting cold standby replica, warm: per waiting warm standby replica}.",
          "anyOf": [
            {
              "$ref": "#/definitions/money"
            },
            {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "monthly": {
                  "$ref": "#/definitions/money"
                },
                "fixed": {
                  "$ref": "#/definitions/money"
                },
                "standby": {
                  "$ref": "#/definitions/money",
                  "description": "Price of a waiting replica of a cold standby (stopped: storage only); monthly when not given."
                },
                "warm": {
                  "$ref": "#/definitions/money",
                  "description": "Price of a waiting replica of a warm standby; monthly when not given."
                }
              }
            }
          ]
        },
        "replication": {
          "$ref": "#/definitions/replication"
        },
        "loses_data": {
          "type": "boolean",
          "description": "With mtbf/afr/failure and mttr/repair: a failure destroys the replica's copy of the data; its repair re-creates it from a surviving replica. With modes, give it per mode."
        },
        "backup": {
          "$ref": "#/definitions/backup"
        }
      }
    },
    "business": {
      "description": "What downtime and lost data cost, and the availability promised.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "downtime_cost": {
          "$ref": "#/definitions/moneyRate",
          "description": "Money per time of outage; a bare number is per hour."
        },
        "data_loss_cost": {
          "$ref": "#/definitions/moneyRate",
          "description": "Money per time of lost writes; a bare number is per second."
        },
        "budget": {
          "$ref": "#/definitions/moneyRate",
          "description": "The most the design may cost in all (for nines check), such as 2000/mo; a bare number is per month."
        },
        "sla": {
          "$ref": "#/definitions/sla",
          "description": "The availability promised: {target: 99.95%, period: month, bill, credits: [{below, credit}]}."
        }
      }
    },
    "moneyPerData": {
      "description": "Money per amount of data, such as 0.02/GB or 20/TB (MB, GB, TB, PB: powers of 1000); a bare number is per GB.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*\\$?(?:[0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*(?:/\\s*(?:MB|GB|TB|PB))?\\s*$"
        }
      ]
    },
    "dataRate": {
      "description": "Data per time, such as 500GB/mo or 20GB/d (MB, GB, TB, PB); a bare number is GB per month.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\s*(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*(?:(?:MB|GB|TB|PB)\\s*/\\s*(?:ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wk|weeks?|mo|months?|y|yrs?|years?))?\\s*$"
        }
      ]
    },
    "backup": {
      "description": "Backups: when fewer than `need` replicas hold a copy, the component is down for `restore` and loses the writes since the last backup (half of `every` on average).",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "every",
        "restore"
      ],
      "properties": {
        "every": {
          "$ref": "#/definitions/duration",
          "description": "Time between backups."
        },
        "restore": {
          "$ref": "#/definitions/law",
          "description": "Time to restore from backup: a mean (fixed in simulation unless a distribution is given) or {distribution, mean, shape | sd}."
        }
      }
    }
  }
}
"""#
}

import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import type { RequestContext } from "../context";

/** Validation rule: refuses operations nested deeper than `maxDepth` fields (fragments expanded). */
export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    }
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let max = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith("__")) continue;
          max = Math.max(max, 1 + depthOf(s.selectionSet, seen));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depthOf(s.selectionSet, seen));
        } else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
          const f = fragments.get(s.name.value);
          max = Math.max(max, depthOf(f?.selectionSet, new Set([...seen, s.name.value])));
        }
      }
      return max;
    };
    return {
      OperationDefinition(op) {
        const depth = depthOf(op.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}`, {
              nodes: [op],
              extensions: { code: "QUERY_TOO_DEEP" },
            }),
          );
        }
      },
    };
  };
}

/**
 * Lists multiply their children's cost by `first` (or 10 when a list has no `first`). A
 * connection's `edges` are already counted by the connection's `first`, so they count once.
 */
const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (typeof args.first === "number") return 1 + childComplexity * Math.max(1, args.first);
  if (field.name === "edges") return 1 + childComplexity;
  // String form ("[T!]!") rather than isListType: no instanceof across module realms (ESM/CJS graphql).
  if (String(field.type).replace(/!$/, "").startsWith("[")) return 1 + childComplexity * 10;
  return undefined;
};

/** Plugin: refuses operations whose estimated cost exceeds `maxCost`, before execution. */
export function costLimit(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // getComplexity coerces the variables first and throws their coercion error (e.g. a
            // malformed DateTime): that is the caller's input, not an internal error.
            throw new GraphQLError((e as Error).message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}`, {
              extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

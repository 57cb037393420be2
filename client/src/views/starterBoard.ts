/** The `brainfile.md` that "Create Board" writes: four columns and one complete example contract. */
export function starterBoard(projectName: string): string {
  const title = projectName.replace(/["\\]/g, '') || 'My Project';
  return `---
title: "${title}"
schema: https://brainfile.md/v1/board.json
protocolVersion: 1.0.0
agent:
  instructions:
    - Claim a contract before you start work on it
    - Keep the validation commands green before delivering
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1
        title: Write the project README
        priority: medium
        contract:
          status: ready
          deliverables:
            - type: docs
              path: README.md
              description: What the project does, how to build it and how to run the tests
          validation:
            commands:
              - test -f README.md
              - grep -qi "getting started" README.md
          constraints:
            - Keep it under 200 lines
            - Every command in it must run as written
          context:
            background: New contributors ask the same setup questions every week.
            relevantFiles:
              - package.json
            outOfScope:
              - API reference documentation
  - id: in-progress
    title: In Progress
    tasks: []
  - id: review
    title: Review
    tasks: []
  - id: done
    title: Done
    tasks: []
---

# ${title} board

Tasks live in the front matter above. A task with a \`contract\` moves through
draft → ready → in_progress → delivered → done (or failed, then back to
in_progress). Use the Contracts view or the code lenses to move it.
`;
}

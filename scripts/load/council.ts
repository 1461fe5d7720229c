// A synthetic council for the load run: auditors (capacity 1 each), one QA lead, and enough open cases, as CSV text.
export const QA_EMAIL = "qa.lead@example.gov.uk";

export function councilCsv(auditors: number, cases: number): { peopleCsv: string; casesCsv: string } {
  const people = ["email,name,roles,service_area,manager_email,monthly_capacity", `${QA_EMAIL},QA Lead,qa,,,0`];
  for (let i = 0; i < auditors; i++) people.push(`auditor${i}@example.gov.uk,Auditor ${i},auditor,Area ${i % 8},,1`);
  const rows = ["case_ref,service_area,status,opened_on,closed_on,lead_professional_email,lp_manager_email,involved_emails,step_down,age_band,primary_need,last_audited_on"];
  for (let i = 0; i < cases; i++) rows.push(`LOAD-${10000 + i},Area ${i % 8},open,01/03/2026,,lp${i}@example.gov.uk,lpm${i % 9}@example.gov.uk,,${i % 4 === 0 ? "yes" : "no"},5-10,Parenting,`);
  return { peopleCsv: people.join("\n") + "\n", casesCsv: rows.join("\n") + "\n" };
}

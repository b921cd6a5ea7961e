/**
 * The emulator's tables on PostgreSQL/PGlite, named and typed like SimTrans (TransAct, its
 * event log) and SigmaNEST (material, work orders, parts, stock, programs, STxxARC feedback).
 * Quoted identifiers keep SQL Server's column case, so the sync code's SQL runs unchanged.
 * Arc_* tables are the emulator's own memory of what it posted (the ERP deletes the STxxARC rows),
 * from which it can re-post a program.
 */
export const EMULATOR_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS "TransAct" (
  "AutoInc" SERIAL PRIMARY KEY,
  "TransType" VARCHAR(10) NOT NULL,
  "District" INTEGER NOT NULL,
  "TransID" VARCHAR(10),
  "OrderNo" VARCHAR(50),
  "ItemName" VARCHAR(100),
  "RevNumber" VARCHAR(20),
  "Qty" INTEGER,
  "Material" VARCHAR(50),
  "Thickness" DOUBLE PRECISION,
  "DueDate" TIMESTAMPTZ,
  "Customer" VARCHAR(50),
  "DwgNumber" VARCHAR(50),
  "Priority" INTEGER,
  "FileName" VARCHAR(255),
  "Length" DOUBLE PRECISION,
  "Width" DOUBLE PRECISION,
  "Remark" VARCHAR(80),
  "ItemType" INTEGER,
  "OnHold" BOOLEAN,
  "BinNumber" VARCHAR(50),
  "ItemData1" VARCHAR(50),
  "ItemData2" VARCHAR(50),
  "ProgramName" VARCHAR(100),
  "ProgramRepeat" INTEGER,
  "ErrorTag" BOOLEAN NOT NULL DEFAULT false,
  "AddedDate" TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS "TransActLog" (
  "AutoInc" SERIAL PRIMARY KEY,
  "TransID" VARCHAR(10),
  "TransType" VARCHAR(10) NOT NULL,
  "Status" VARCHAR(10) NOT NULL,
  "Message" TEXT NOT NULL,
  "LoggedAt" TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS "Material" (
  "Material" VARCHAR(50) PRIMARY KEY,
  "Density" DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS "Wo" (
  "WoNumber" VARCHAR(50) PRIMARY KEY,
  "Customer" VARCHAR(50),
  "DueDate" TIMESTAMPTZ,
  "Priority" INTEGER,
  "OnHold" BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS "Part" (
  "WoNumber" VARCHAR(50) NOT NULL,
  "PartName" VARCHAR(100) NOT NULL,
  "QtyOrdered" INTEGER NOT NULL,
  "QtyInProcess" INTEGER NOT NULL DEFAULT 0,
  "QtyCompleted" INTEGER NOT NULL DEFAULT 0,
  "Material" VARCHAR(50) NOT NULL,
  "Thickness" DOUBLE PRECISION NOT NULL,
  "FileName" VARCHAR(255),
  "Length" DOUBLE PRECISION NOT NULL,
  "Width" DOUBLE PRECISION NOT NULL,
  PRIMARY KEY ("WoNumber", "PartName")
);
CREATE TABLE IF NOT EXISTS "Stock" (
  "SheetName" VARCHAR(50) PRIMARY KEY,
  "Material" VARCHAR(50) NOT NULL,
  "Thickness" DOUBLE PRECISION NOT NULL,
  "Length" DOUBLE PRECISION NOT NULL,
  "Width" DOUBLE PRECISION NOT NULL,
  "Qty" INTEGER NOT NULL,
  "QtyInProcess" INTEGER NOT NULL DEFAULT 0,
  "ItemType" INTEGER NOT NULL DEFAULT 0,
  "FileName" VARCHAR(255)
);
CREATE TABLE IF NOT EXISTS "Program" (
  "ProgramName" VARCHAR(100) NOT NULL,
  "RepeatID" INTEGER NOT NULL,
  "SheetName" VARCHAR(50) NOT NULL,
  PRIMARY KEY ("ProgramName", "RepeatID")
);
CREATE TABLE IF NOT EXISTS "ProgramPart" (
  "ProgramName" VARCHAR(100) NOT NULL,
  "RepeatID" INTEGER NOT NULL,
  "WoNumber" VARCHAR(50) NOT NULL,
  "PartName" VARCHAR(100) NOT NULL,
  "Qty" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "STPrgARC" (
  "AutoInc" SERIAL PRIMARY KEY,
  "ArchivePacketID" INTEGER NOT NULL,
  "TransType" VARCHAR(10) NOT NULL,
  "ProgramName" VARCHAR(100),
  "RepeatID" INTEGER,
  "SheetName" VARCHAR(50),
  "UsedArea" DOUBLE PRECISION,
  "ScrapFraction" DOUBLE PRECISION,
  "QtyInProcess" INTEGER,
  "MachineName" VARCHAR(100),
  "CuttingTime" DOUBLE PRECISION,
  "PierceQty" INTEGER,
  "PostDateTime" TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS "STPIPARC" (
  "AutoInc" SERIAL PRIMARY KEY,
  "ArchivePacketID" INTEGER NOT NULL,
  "TransType" VARCHAR(10) NOT NULL,
  "ProgramName" VARCHAR(100),
  "RepeatID" INTEGER,
  "PartName" VARCHAR(100),
  "SheetName" VARCHAR(50),
  "WONumber" VARCHAR(50),
  "QtyInProcess" INTEGER,
  "PartLength" DOUBLE PRECISION,
  "PartWidth" DOUBLE PRECISION,
  "TrueArea" DOUBLE PRECISION,
  "RectArea" DOUBLE PRECISION,
  "CuttingTime" DOUBLE PRECISION,
  "CuttingLength" DOUBLE PRECISION,
  "PierceQty" INTEGER
);
CREATE TABLE IF NOT EXISTS "STShtARC" (
  "AutoInc" SERIAL PRIMARY KEY,
  "ArchivePacketID" INTEGER NOT NULL,
  "TransType" VARCHAR(10) NOT NULL,
  "ProgramName" VARCHAR(100),
  "RepeatID" INTEGER,
  "SheetName" VARCHAR(50),
  "Material" VARCHAR(50),
  "Thickness" DOUBLE PRECISION,
  "Length" DOUBLE PRECISION,
  "Width" DOUBLE PRECISION,
  "Qty" INTEGER
);
CREATE TABLE IF NOT EXISTS "STRemARC" (
  "AutoInc" SERIAL PRIMARY KEY,
  "ArchivePacketID" INTEGER NOT NULL,
  "TransType" VARCHAR(10) NOT NULL,
  "ProgramName" VARCHAR(100),
  "RepeatID" INTEGER,
  "RemnantName" VARCHAR(50),
  "Material" VARCHAR(50),
  "Thickness" DOUBLE PRECISION,
  "Length" DOUBLE PRECISION,
  "Width" DOUBLE PRECISION,
  "FileName" VARCHAR(255)
);
CREATE TABLE IF NOT EXISTS "STPrtARC" (
  "AutoInc" SERIAL PRIMARY KEY,
  "ArchivePacketID" INTEGER NOT NULL,
  "TransType" VARCHAR(10) NOT NULL,
  "WoNumber" VARCHAR(50),
  "PartName" VARCHAR(100),
  "ProgramName" VARCHAR(100),
  "RepeatID" INTEGER,
  "QtyProgram" INTEGER
);
CREATE TABLE IF NOT EXISTS "Arc_STPrgARC" (LIKE "STPrgARC");
CREATE TABLE IF NOT EXISTS "Arc_STPIPARC" (LIKE "STPIPARC");
CREATE TABLE IF NOT EXISTS "Arc_STShtARC" (LIKE "STShtARC");
`;
